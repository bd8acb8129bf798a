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
 * 32 senders at once, 30% of their items shared with others, each batch retried as after a timeout:
 * every distinct touchpoint is recorded exactly once, with exactly one event.
 */
class TouchpointConcurrencyIT extends IntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	TouchpointEventRecorder recorder;

	private static final int SENDERS = 32;

	private static final int OWN = 14;

	private static final int SHARED = 6;

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
		try (ExecutorService pool = Executors.newFixedThreadPool(SENDERS)) {
			for (List<Map<String, Object>> batch : batches) {
				futures.add(pool.submit(() -> {
					start.await();
					List<Map<String, Object>> results = new ArrayList<>(record(batch));
					results.addAll(record(batch));
					return results;
				}));
			}
			start.countDown();
		}
		List<Map<String, Object>> results = new ArrayList<>();
		for (var future : futures) {
			results.addAll(future.get());
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
		assertThat(recordedEvents(leadIds)).isEqualTo(distinct.size() + leadIds.size());
	}

	private int recordedEvents(List<String> leadIds) {
		int count = 0;
		String after = null;
		boolean more = true;
		while (more) {
			var page = as("demo-admin").document("""
					query($ids: [ID!], $after: String) {
					  leadEvents(filter: {leadIds: $ids, types: [TOUCHPOINT_RECORDED]}, first: 500, after: $after) {
					    edges { node { seq } } pageInfo { hasNextPage endCursor }
					  }
					}""").variable("ids", leadIds).variable("after", after).execute().path("leadEvents").entity(MAP).get();
			count += ((List<?>) page.get("edges")).size();
			Map<?, ?> pageInfo = (Map<?, ?>) page.get("pageInfo");
			more = (boolean) pageInfo.get("hasNextPage");
			after = (String) pageInfo.get("endCursor");
		}
		return count;
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
