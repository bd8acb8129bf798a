package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import io.leadgraph.support.GraphQlSockets;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Speed-to-lead benchmark — not a test: run it with
 * {@code ./mvnw -Pbenchmark verify -Dit.test=SpeedToLeadBenchmark} (README, "Benchmark"). A subscriber
 * follows HANDOFF_ASSIGNED over graphql-ws while a background sender records touchpoints at B per
 * second (page views of leads that never qualify); each sample records a DEMO_REQUEST that lifts a
 * fresh lead over the MQL threshold, and is timed from sending {@code recordTouchpoints} to the
 * HANDOFF_ASSIGNED event reaching the subscriber. Sizes: {@code -Dspeed.samples},
 * {@code -Dspeed.background} (touchpoints/s), {@code -Dspeed.warmup}.
 */
@TestPropertySource(properties = "leadgraph.benchmark=speed-to-lead")
class SpeedToLeadBenchmark extends HandoffTestSupport {

	@Test
	void speedToLead() throws Exception {
		int samples = Integer.getInteger("speed.samples", 500);
		int background = Integer.getInteger("speed.background", 100);
		int warmup = Integer.getInteger("speed.warmup", 100);
		activate(Map.of("name", "Speed to lead", "fitRules",
				List.of(Map.of("id", "vp", "when", Map.of("field", "title", "op", "CONTAINS", "value", "VP"), "points", 30)),
				"engagementRules",
				List.of(Map.of("id", "demo", "when", Map.of("field", "type", "op", "EQ", "value", "DEMO_REQUEST"),
						"points", 40), Map.of("id", "page", "when", Map.of("field", "type", "op", "EQ", "value", "PAGE_VIEW"),
						"points", 1, "maxPerDay", 5)),
				"mqlThreshold", Map.of("total", 60), "grades", Map.of("a", 30, "b", 20, "c", 10)));
		List<String> reps = IntStream.range(0, 4).mapToObj(i -> rep("speed-rep-" + i, Map.of())).toList();
		rule("speed", Map.of("strategy", "ROUND_ROBIN", "pool", reps));

		Map<String, Long> assignedAt = new ConcurrentHashMap<>();
		List<Long> routingMillis = Collections.synchronizedList(new ArrayList<>());
		Disposable subscription = GraphQlSockets.socket(port, token(SALES))
			.document("subscription { leadEvents(filter: {types: [HANDOFF_ASSIGNED]}) { leadId payload } }")
			.executeSubscription()
			.toFlux("leadEvents", Map.class)
			.subscribe(event -> {
				assignedAt.putIfAbsent((String) event.get("leadId"), System.nanoTime());
				if (event.get("payload") instanceof Map<?, ?> payload && payload.get("routingLatencyMs") instanceof Number ms) {
					routingMillis.add(ms.longValue());
				}
			});

		List<String> browsing = IntStream.range(0, 200).mapToObj(i -> createLead(Map.of())).toList();
		AtomicLong sentInBackground = new AtomicLong();
		ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
		int perTick = Math.max(1, background / 10);
		sender.scheduleAtFixedRate(() -> {
			List<Map<String, Object>> batch = new ArrayList<>();
			for (int i = 0; i < perTick; i++) {
				batch.add(touchpoint(browsing.get((int) (sentInBackground.getAndIncrement() % browsing.size())),
						"PAGE_VIEW"));
			}
			record(batch);
		}, 0, 100, TimeUnit.MILLISECONDS);
		try {
			measure(warmup, assignedAt);
			routingMillis.clear();
			long backgroundBefore = sentInBackground.get();
			long start = System.nanoTime();
			List<Long> latencies = measure(samples, assignedAt);
			double seconds = (System.nanoTime() - start) / 1e9;
			double backgroundRate = (sentInBackground.get() - backgroundBefore) / seconds;
			report(samples, backgroundRate, latencies, new ArrayList<>(routingMillis));
		}
		finally {
			sender.shutdownNow();
			sender.awaitTermination(10, TimeUnit.SECONDS);
			subscription.dispose();
		}
	}

	/** Qualifies {@code count} fresh leads one after another; the latency of each, in nanoseconds. */
	private List<Long> measure(int count, Map<String, Long> assignedAt) {
		List<Long> latencies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String lead = createLead(Map.of("title", "VP Sales"));
			long sent = System.nanoTime();
			record(List.of(touchpoint(lead, "DEMO_REQUEST")));
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> assignedAt.containsKey(lead));
			latencies.add(assignedAt.get(lead) - sent);
		}
		return latencies;
	}

	private static Map<String, Object> touchpoint(String leadId, String type) {
		return Map.of("source", "speed-benchmark", "externalId", UUID.randomUUID().toString(), "type", type,
				"occurredAt", Instant.now().toString(), "leadId", leadId);
	}

	private void record(List<Map<String, Object>> touchpoints) {
		as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", touchpoints))
			.execute()
			.path("recordTouchpoints.results[*].status")
			.entityList(String.class)
			.containsExactly(touchpoints.stream().map(any -> "RECORDED").toArray(String[]::new));
	}

	private static void report(int samples, double backgroundRate, List<Long> latencies, List<Long> routing) {
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		List<Long> routed = new ArrayList<>(routing);
		Collections.sort(routed);
		Map<String, String> figures = new LinkedHashMap<>();
		figures.put("samples (DEMO_REQUEST crossing the MQL threshold)", String.valueOf(samples));
		figures.put("background load", String.format(Locale.ROOT, "%.0f touchpoints/s", backgroundRate));
		figures.put("recordTouchpoints → HANDOFF_ASSIGNED at subscriber, p50 / p99 / max",
				String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", nth(sorted, 50) / 1e6, nth(sorted, 99) / 1e6,
						nth(sorted, 100) / 1e6));
		figures.put("of which MQL move → assignment (routingLatencyMs), p50 / p99",
				nth(routed, 50) + " / " + nth(routed, 99) + " ms");
		System.out.println("\n| speed-to-lead benchmark | figure |\n|---|---|");
		figures.forEach((name, value) -> System.out.println("| " + name + " | " + value + " |"));
		System.out.println();
		assertThat(latencies).hasSize(samples);
	}

	/** Nearest rank. */
	private static long nth(List<Long> sorted, int percentile) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}
}
