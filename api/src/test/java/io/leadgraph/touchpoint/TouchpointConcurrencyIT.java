package io.leadgraph.touchpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import static io.leadgraph.touchpoint.TouchpointIngestionIT.MAP;
import static io.leadgraph.touchpoint.TouchpointIngestionIT.touch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 32 senders at once, 30% of their items shared with others, each batch retried as after a timeout,
 * while the same leads are being updated: every distinct touchpoint is recorded exactly once, with
 * exactly one event, and every lead's log stays gap-free.
 */
class TouchpointConcurrencyIT extends IntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	TouchpointEventRecorder recorder;

	private static final int SENDERS = 32;

	private static final int OWN = 14;

	private static final int SHARED = 6;

	private static final int UPDATES = 5;

	@Test
	void concurrentSendersWithDuplicatesAndRetriesRecordEachTouchpointOnce() throws Exception {
		String run = UUID.randomUUID().toString();
		String domain = "exact-" + run.substring(0, 8) + ".example";
		List<String> emails = new ArrayList<>();
		List<Map<String, Object>> captures = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			emails.add("lead" + i + "@" + domain);
			captures.add(touch(run + "-capture-" + i, "FORM_SUBMIT", emails.get(i), Map.of()));
		}
		List<String> leadIds = record(captures).stream().map(result -> (String) result.get("leadId")).toList();

		List<Map<String, Object>> sharedPool = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			sharedPool.add(touch(run + "-shared-" + i, "EMAIL_OPEN", emails.get(i % emails.size()), Map.of()));
		}
		var random = new Random(7);
		List<List<Map<String, Object>>> batches = new ArrayList<>();
		Set<String> distinct = new HashSet<>();
		for (int sender = 0; sender < SENDERS; sender++) {
			List<Map<String, Object>> batch = new ArrayList<>();
			for (int i = 0; i < OWN; i++) {
				batch.add(touch(run + "-" + sender + "-" + i, "PAGE_VIEW", emails.get(random.nextInt(emails.size())),
						Map.of()));
			}
			for (int i = 0; i < SHARED; i++) {
				batch.add(sharedPool.get(random.nextInt(sharedPool.size())));
			}
			Collections.shuffle(batch, random);
			batch.forEach(item -> distinct.add((String) item.get("externalId")));
			batches.add(batch);
		}

		var start = new CountDownLatch(1);
		List<Future<List<Map<String, Object>>>> futures = new ArrayList<>();
		List<Future<Object>> updates = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(SENDERS)) {
			for (List<Map<String, Object>> batch : batches) {
				futures.add(pool.submit(() -> {
					start.await();
					List<Map<String, Object>> results = new ArrayList<>(record(batch));
					results.addAll(record(batch));
					return results;
				}));
			}
			for (String leadId : leadIds) {
				updates.add(pool.submit(() -> {
					start.await();
					for (int k = 0; k < UPDATES; k++) {
						as("demo-marketing").document(
								"mutation($id: ID!, $t: String) { updateLead(input: {id: $id, title: $t}) { __typename } }")
							.variable("id", leadId)
							.variable("t", "title " + k)
							.execute()
							.path("updateLead.__typename")
							.entity(String.class)
							.isEqualTo("LeadUpdated");
					}
					return null;
				}));
			}
			start.countDown();
		}
		List<Map<String, Object>> results = new ArrayList<>();
		for (var future : futures) {
			results.addAll(future.get());
		}
		for (var update : updates) {
			update.get();
		}

		assertThat(results).hasSize(SENDERS * (OWN + SHARED) * 2)
			.extracting(result -> result.get("status"))
			.doesNotContain("REJECTED");
		List<String> recorded = results.stream()
			.filter(result -> result.get("status").equals("RECORDED"))
			.map(result -> (String) ((Map<?, ?>) result.get("touchpoint")).get("externalId"))
			.toList();
		assertThat(recorded).doesNotHaveDuplicates().hasSameSizeAs(distinct);
		assertThat(new HashSet<>(recorded)).isEqualTo(distinct);

		int stored = 0;
		for (String leadId : leadIds) {
			stored += (int) as("demo-sales").document("query($id: ID!) { lead(id: $id) { engagement { touchpointCount } } }")
				.variable("id", leadId)
				.execute()
				.path("lead.engagement.touchpointCount")
				.entity(Integer.class)
				.get();
		}
		assertThat(stored).isEqualTo(distinct.size() + leadIds.size());
		await().atMost(java.time.Duration.ofSeconds(30)).until(recorder::idle);
		List<Map<String, Object>> events = events(leadIds);
		assertThat(events).filteredOn(event -> event.get("type").equals("TOUCHPOINT_RECORDED"))
			.hasSize(distinct.size() + leadIds.size());
		for (String leadId : leadIds) {
			List<Map<String, Object>> ofLead = events.stream().filter(event -> event.get("leadId").equals(leadId)).toList();
			assertThat(ofLead).as("seq of lead " + leadId + " is gap-free, in log order")
				.extracting(event -> ((Number) event.get("seq")).intValue())
				.containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, ofLead.size()).boxed().toList());
			assertThat(ofLead).filteredOn(event -> event.get("type").equals("LEAD_UPDATED")).hasSize(UPDATES);
		}
	}

	/** Every event of the leads, in log order. */
	private List<Map<String, Object>> events(List<String> leadIds) {
		List<Map<String, Object>> events = new ArrayList<>();
		String after = null;
		boolean more = true;
		while (more) {
			var page = as("demo-admin").document("""
					query($ids: [ID!], $after: String) {
					  leadEvents(filter: {leadIds: $ids}, first: 100, after: $after) {
					    edges { node { leadId seq type } } pageInfo { hasNextPage endCursor }
					  }
					}""").variable("ids", leadIds).variable("after", after).execute().path("leadEvents").entity(MAP).get();
			for (Object edge : (List<?>) page.get("edges")) {
				@SuppressWarnings("unchecked")
				Map<String, Object> node = (Map<String, Object>) ((Map<?, ?>) edge).get("node");
				events.add(node);
			}
			Map<?, ?> pageInfo = (Map<?, ?>) page.get("pageInfo");
			more = (boolean) pageInfo.get("hasNextPage");
			after = (String) pageInfo.get("endCursor");
		}
		return events;
	}

	private List<Map<String, Object>> record(List<Map<String, Object>> touchpoints) {
		return as("demo-automation").mutate()
			.responseTimeout(java.time.Duration.ofSeconds(60))
			.webTestClient(client -> client.responseTimeout(java.time.Duration.ofSeconds(60)))
			.build()
			.documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", touchpoints))
			.execute()
			.path("recordTouchpoints.results")
			.entityList(MAP)
			.get();
	}
}
