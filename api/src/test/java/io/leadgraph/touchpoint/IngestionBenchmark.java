package io.leadgraph.touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Touchpoint ingestion benchmark — not a test: run it with {@code ./mvnw -Pbenchmark verify}
 * (README, "Benchmark"). It starts the service on a random port with the embedded store, creates
 * leads, then S concurrent senders push N touchpoints in batches of 500 through
 * {@code recordTouchpoints} over HTTP, a share of them duplicates, and it reports items/s,
 * recorded/s and p50/p99 per batch, checks the exact count, and measures the same store's raw
 * insertMany ceiling with the same documents. Sizes: {@code -Dbenchmark.touchpoints},
 * {@code -Dbenchmark.senders}, {@code -Dbenchmark.leads}, {@code -Dbenchmark.duplicates} (share).
 */
class IngestionBenchmark extends IntegrationTest {

	private static final int BATCH = 500;

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@Autowired
	MongoTemplate mongo;

	@Autowired
	TouchpointEventRecorder recorder;

	@Test
	void ingest() throws Exception {
		int total = Integer.getInteger("benchmark.touchpoints", 50_000);
		int senders = Integer.getInteger("benchmark.senders", 8);
		int leadCount = Integer.getInteger("benchmark.leads", 1_000);
		int warmup = Integer.getInteger("benchmark.warmup", 20_000);
		double duplicateShare = Double.parseDouble(System.getProperty("benchmark.duplicates", "0.2"));
		String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
		HttpGraphQlTester client = as("demo-automation").mutate()
			.responseTimeout(Duration.ofMinutes(2))
			.webTestClient(web -> web.responseTimeout(Duration.ofMinutes(2)))
			.build();

		List<String> leadIds = createLeads(client, run, leadCount);
		// the JIT compiles the request path during the first tens of thousands of items; a service in
		// production runs warm, so that time is left out of the figures
		push(client, batches(run + "-warmup", warmup, duplicateShare, leadIds).batches(), senders);
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(recorder::idle);

		Load load = batches(run, total, duplicateShare, leadIds);
		int distinct = load.distinct();
		long started = System.nanoTime();
		Pushed pushed = push(client, load.batches(), senders);
		List<Long> latencies = pushed.latencies();
		var recorded = pushed.recorded();
		double seconds = (System.nanoTime() - started) / 1e9;
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(recorder::idle);
		double settled = (System.nanoTime() - started) / 1e9;
		long stored = mongo.count(Query.query(Criteria.where("key").regex("^" + run + "\u001f")), "touchpoints");

		double ceiling = rawInsertCeiling(run, distinct, leadIds);
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		Map<String, String> figures = new LinkedHashMap<>();
		figures.put("touchpoints sent (items)", String.valueOf(total));
		figures.put("distinct / duplicates", distinct + " / " + (total - distinct));
		figures.put("senders × batch", senders + " × " + BATCH);
		figures.put("warm-up (items, not measured)", String.valueOf(warmup));
		figures.put("leads", String.valueOf(leadCount));
		figures.put("wall time", String.format(Locale.ROOT, "%.1f s", seconds));
		figures.put("items/s end to end", String.format(Locale.ROOT, "%.0f", total / seconds));
		figures.put("recorded/s end to end", String.format(Locale.ROOT, "%.0f", distinct / seconds));
		figures.put("events recorded too (until settled)", String.format(Locale.ROOT, "%.1f s, %.0f touchpoints/s", settled, distinct / settled));
		figures.put("batch p50 / p99", String.format(Locale.ROOT, "%d ms / %d ms", percentile(sorted, 50), percentile(sorted, 99)));
		figures.put("raw insertMany ceiling (same docs, 1 thread)", String.format(Locale.ROOT, "%.0f docs/s", ceiling));
		figures.put("end to end / ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * (distinct / seconds) / ceiling));
		figures.put("exact count (stored = recorded = distinct)", stored + " = " + recorded.get() + " = " + distinct);
		System.out.println("\n| ingestion benchmark | figure |\n|---|---|");
		figures.forEach((name, value) -> System.out.println("| " + name + " | " + value + " |"));
		System.out.println();

		assertThat(stored).isEqualTo(distinct);
		assertThat(recorded.get()).isEqualTo(distinct);
	}

	private record Load(List<List<Map<String, Object>>> batches, int distinct) {
	}

	private record Pushed(List<Long> latencies, AtomicInteger recorded) {
	}

	/** Touchpoints of one source in batches of 500, a share of them repeats of earlier ones. */
	private static Load batches(String source, int total, double duplicateShare, List<String> leadIds) {
		List<List<Map<String, Object>>> batches = new ArrayList<>();
		List<Map<String, Object>> sent = new ArrayList<>();
		var random = new Random(42);
		int distinct = 0;
		for (int i = 0; i < total; i++) {
			Map<String, Object> item;
			if (!sent.isEmpty() && random.nextDouble() < duplicateShare) {
				item = sent.get(random.nextInt(sent.size()));
			}
			else {
				item = touchpoint(source, distinct++, leadIds.get(random.nextInt(leadIds.size())));
				sent.add(item);
			}
			if (batches.isEmpty() || batches.getLast().size() == BATCH) {
				batches.add(new ArrayList<>());
			}
			batches.getLast().add(item);
		}
		return new Load(batches, distinct);
	}

	/** The senders take batches off one queue until it is empty. */
	private static Pushed push(HttpGraphQlTester client, List<List<Map<String, Object>>> batches, int senders)
			throws Exception {
		var queue = new ConcurrentLinkedQueue<>(batches);
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		var recorded = new AtomicInteger();
		try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
			List<Future<?>> futures = new ArrayList<>();
			for (int s = 0; s < senders; s++) {
				futures.add(pool.submit(() -> {
					List<Map<String, Object>> batch;
					while ((batch = queue.poll()) != null) {
						long t0 = System.nanoTime();
						List<String> statuses = client.documentName("recordTouchpointsOutcome")
							.variable("input", Map.of("touchpoints", batch))
							.execute()
							.path("recordTouchpoints.results[*].status")
							.entityList(String.class)
							.get();
						latencies.add(System.nanoTime() - t0);
						recorded.addAndGet((int) statuses.stream().filter("RECORDED"::equals).count());
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		return new Pushed(latencies, recorded);
	}

	private List<String> createLeads(HttpGraphQlTester client, String run, int count) {
		List<String> ids = new ArrayList<>();
		for (int from = 0; from < count; from += BATCH) {
			List<Map<String, Object>> captures = new ArrayList<>();
			for (int i = from; i < Math.min(count, from + BATCH); i++) {
				Map<String, Object> capture = touchpoint(run + "-capture", i, null);
				capture.put("type", "FORM_SUBMIT");
				capture.put("email", "lead" + i + "@" + run + ".example");
				capture.put("contact", Map.of("firstName", "Bench", "lastName", "Lead " + i));
				captures.add(capture);
			}
			client.documentName("recordTouchpoints")
				.variable("input", Map.of("touchpoints", captures))
				.execute()
				.path("recordTouchpoints.results[*].leadId")
				.entityList(String.class)
				.get()
				.forEach(ids::add);
		}
		return ids;
	}

	private static Map<String, Object> touchpoint(String run, int n, String leadId) {
		Map<String, Object> touchpoint = new HashMap<>();
		touchpoint.put("source", run);
		touchpoint.put("externalId", "tp-" + n);
		touchpoint.put("type", n % 7 == 0 ? "EMAIL_OPEN" : "PAGE_VIEW");
		touchpoint.put("occurredAt", Instant.now().minusSeconds(n % 86_400).toString());
		touchpoint.put("campaign", Map.of("id", "campaign-" + (n % 20), "name", "Campaign " + (n % 20)));
		touchpoint.put("properties", Map.of("path", "/product/" + (n % 50), "seconds", n % 300));
		if (leadId != null) {
			touchpoint.put("leadId", leadId);
		}
		return touchpoint;
	}

	/** The embedded store's plain insertMany of equivalent documents, batches of 500, one thread. */
	private double rawInsertCeiling(String run, int count, List<String> leadIds) {
		String collection = "benchmark_raw_" + run.replace('-', '_');
		List<Document> documents = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			documents.add(new Document("_id", new ObjectId().toHexString()).append("key", run + "\u001ftp-" + i)
				.append("source", run)
				.append("externalId", "tp-" + i)
				.append("leadId", leadIds.get(i % leadIds.size()))
				.append("type", "PAGE_VIEW")
				.append("channel", "WEB")
				.append("direction", "INBOUND")
				.append("occurredAt", java.util.Date.from(Instant.now()))
				.append("recordedAt", java.util.Date.from(Instant.now()))
				.append("recordedBy", "demo-automation")
				.append("campaign", new Document("id", "campaign-" + (i % 20)).append("name", "Campaign " + (i % 20)))
				.append("properties", new Document("path", "/product/" + (i % 50)).append("seconds", i % 300)));
		}
		var target = mongo.getCollection(collection);
		long started = System.nanoTime();
		for (int from = 0; from < documents.size(); from += BATCH) {
			target.insertMany(documents.subList(from, Math.min(documents.size(), from + BATCH)));
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		mongo.dropCollection(collection);
		return count / seconds;
	}

	private static long percentile(List<Long> sortedNanos, int percentile) {
		if (sortedNanos.isEmpty()) {
			return 0;
		}
		int index = Math.min(sortedNanos.size() - 1, (int) Math.ceil(percentile / 100.0 * sortedNanos.size()) - 1);
		return sortedNanos.get(Math.max(0, index)) / 1_000_000;
	}
}
