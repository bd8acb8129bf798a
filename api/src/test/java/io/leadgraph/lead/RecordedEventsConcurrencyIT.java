package io.leadgraph.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;

import static io.leadgraph.lead.LeadLifecycleIT.MAP;
import static io.leadgraph.lead.LeadLifecycleIT.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other features' events ({@link LeadService#recordEvents}) racing the lead's own changes on the
 * same leads: every event reaches the log once, and each lead's seq stays gap-free. Exercises the
 * path where some version-guarded appends of a bulk lose and are retried.
 */
class RecordedEventsConcurrencyIT extends IntegrationTest {

	private static final int ROUNDS = 40;

	@Autowired
	LeadService leads;

	@Autowired
	LeadOutboxRelay relay;

	@Test
	void eventsOfOtherFeaturesAndOwnChangesInterleaveWithoutLossGapsOrDoubles() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add((String) as("demo-marketing").documentName("createLead").fragmentName("leadFields")
				.variable("input", Map.of("email", unique("race" + i)))
				.execute()
				.path("createLead.lead")
				.entity(MAP)
				.get()
				.get("id"));
		}
		var start = new CountDownLatch(1);
		List<Future<?>> work = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
			for (int writer = 0; writer < 3; writer++) {
				int w = writer;
				work.add(pool.submit(() -> {
					start.await();
					for (int round = 0; round < ROUNDS; round++) {
						var drafts = Map.of(ids.get(0), List.of(draft(w, round, 0)), ids.get(1),
								List.of(draft(w, round, 1)), ids.get(2), List.of(draft(w, round, 2)));
						recordUntilDone(w, drafts);
					}
					return null;
				}));
			}
			for (String id : ids) {
				work.add(pool.submit(() -> {
					start.await();
					for (int round = 0; round < ROUNDS / 4; round++) {
						updateUntilDone(id, "title " + round);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : work) {
				future.get();
			}
		}
		relay.sweep();

		for (String id : ids) {
			List<Map<String, Object>> events = new java.util.ArrayList<>();
			String after = null;
			do {
				var page = as("demo-admin").document("query($ids: [ID!], $after: String) { leadEvents(filter: "
						+ "{leadIds: $ids}, first: 100, after: $after) { edges { node { seq type } } "
						+ "pageInfo { hasNextPage endCursor } } }")
					.variable("ids", List.of(id))
					.variable("after", after)
					.execute();
				events.addAll(page.path("leadEvents.edges[*].node").entityList(MAP).get());
				after = page.path("leadEvents.pageInfo.hasNextPage").entity(Boolean.class).get()
						? page.path("leadEvents.pageInfo.endCursor").entity(String.class).get() : null;
			}
			while (after != null);
			assertThat(events).extracting(event -> ((Number) event.get("seq")).intValue())
				.as("gap-free seq of " + id)
				.containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
			assertThat(events).filteredOn(event -> event.get("type").equals("TOUCHPOINT_RECORDED")).hasSize(3 * ROUNDS);
			assertThat(events).filteredOn(event -> event.get("type").equals("LEAD_UPDATED")).hasSize(ROUNDS / 4);
		}
	}

	/** An update that lost every race answers CONFLICT, which says: retry. */
	private void updateUntilDone(String id, String title) {
		for (int attempt = 1;; attempt++) {
			var response = as("demo-sales")
				.document("mutation($id: ID!, $t: String) { updateLead(input: {id: $id, title: $t}) { __typename } }")
				.variable("id", id)
				.variable("t", title)
				.execute();
			List<ResponseError> errors = new ArrayList<>();
			response.errors().satisfy(errors::addAll);
			assertThat(errors).allSatisfy(error -> assertThat(error.getErrorType()).hasToString("CONFLICT"));
			if (errors.isEmpty()) {
				response.path("updateLead.__typename").entity(String.class).isEqualTo("LeadUpdated");
				return;
			}
			assertThat(attempt).as("attempts").isLessThan(50);
		}
	}

	/** Retries what lost every race, as the callers' sweeps do; a retry must not record anything twice. */
	private void recordUntilDone(int writer, Map<String, List<LeadEventDraft>> drafts) {
		for (int attempt = 1;; attempt++) {
			try {
				SystemCaller.runAs("test:recorder-" + writer, () -> leads.recordEvents(drafts));
				return;
			}
			catch (org.springframework.dao.OptimisticLockingFailureException lostEveryRace) {
				assertThat(attempt).as("attempts").isLessThan(50);
			}
		}
	}

	private static LeadEventDraft draft(int writer, int round, int lead) {
		return new LeadEventDraft("test-" + writer + "-" + round + "-" + lead + "-" + UUID.randomUUID(),
				"TOUCHPOINT_RECORDED", "test:recorder-" + writer, Map.of("round", round));
	}
}
