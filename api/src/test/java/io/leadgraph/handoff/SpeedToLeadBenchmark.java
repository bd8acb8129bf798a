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
		activate(demoRequestPolicy("Speed to lead", Map.of("id", "page", "when",
				Map.of("field", "type", "op", "EQ", "value", "PAGE_VIEW"), "points", 1, "maxPerDay", 5)));
		List<String> reps = IntStream.range(0, 4).mapToObj(i -> rep("speed-rep-" + i, Map.of())).toList();
		rule("speed", Map.of("strategy", "ROUND_ROBIN", "pool", reps));

		Timings timings = new Timings();
		Disposable subscription = GraphQlSockets.socket(port, token(SALES))
			.document("subscription { leadEvents(filter: {types: [STAGE_CHANGED, HANDOFF_ASSIGNED]}) { leadId type payload } }")
			.executeSubscription()
			.toFlux("leadEvents", Map.class)
			.subscribe(timings::received);

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
			measure(warmup, timings);
			timings.clear();
			long backgroundBefore = sentInBackground.get();
			long start = System.nanoTime();
			measure(samples, timings);
			double seconds = (System.nanoTime() - start) / 1e9;
			double backgroundRate = (sentInBackground.get() - backgroundBefore) / seconds;
			report(samples, backgroundRate, timings);
		}
		finally {
			sender.shutdownNow();
			sender.awaitTermination(10, TimeUnit.SECONDS);
			subscription.dispose();
		}
	}

	/** When each sample was sent, answered, seen as MQL and seen assigned (nanoTime), by lead. */
	private static final class Timings {

		final Map<String, Long> sent = new ConcurrentHashMap<>();

		final Map<String, Long> answered = new ConcurrentHashMap<>();

		final Map<String, Long> qualified = new ConcurrentHashMap<>();

		final Map<String, Long> assigned = new ConcurrentHashMap<>();

		final List<Long> routingMillis = Collections.synchronizedList(new ArrayList<>());

		void received(Map<?, ?> event) {
			long now = System.nanoTime();
			String lead = (String) event.get("leadId");
			Map<?, ?> payload = (Map<?, ?>) event.get("payload");
			if ("HANDOFF_ASSIGNED".equals(event.get("type"))) {
				assigned.putIfAbsent(lead, now);
				if (payload.get("routingLatencyMs") instanceof Number ms) {
					routingMillis.add(ms.longValue());
				}
			}
			else if ("MQL".equals(payload.get("to"))) {
				qualified.putIfAbsent(lead, now);
			}
		}

		List<Long> since(Map<String, Long> at) {
			List<Long> latencies = new ArrayList<>();
			sent.forEach((lead, start) -> latencies.add(at.get(lead) - start));
			Collections.sort(latencies);
			return latencies;
		}

		void clear() {
			sent.clear();
			answered.clear();
			qualified.clear();
			assigned.clear();
			routingMillis.clear();
		}
	}

	/** Qualifies {@code count} fresh leads one after another, each timed from its request to its assignment. */
	private void measure(int count, Timings timings) {
		for (int i = 0; i < count; i++) {
			String lead = createLead(Map.of("title", "VP Sales"));
			timings.sent.put(lead, System.nanoTime());
			record(List.of(touchpoint(lead, "DEMO_REQUEST")));
			timings.answered.put(lead, System.nanoTime());
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> timings.assigned.containsKey(lead) && timings.qualified.containsKey(lead));
		}
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

	private static void report(int samples, double backgroundRate, Timings timings) {
		List<Long> assigned = timings.since(timings.assigned);
		List<Long> routed = new ArrayList<>(timings.routingMillis);
		Collections.sort(routed);
		Map<String, String> figures = new LinkedHashMap<>();
		figures.put("samples (DEMO_REQUEST crossing the MQL threshold)", String.valueOf(samples));
		figures.put("background load", String.format(Locale.ROOT, "%.0f touchpoints/s", backgroundRate));
		figures.put("**recordTouchpoints → HANDOFF_ASSIGNED at subscriber**, p50 / p99 / max", millis(assigned, 100));
		figures.put("recordTouchpoints answered, p50 / p99 / max", millis(timings.since(timings.answered), 100));
		figures.put("STAGE_CHANGED → MQL at subscriber, p50 / p99 / max", millis(timings.since(timings.qualified), 100));
		figures.put("MQL move → assignment (routingLatencyMs), p50 / p99",
				nth(routed, 50) + " / " + nth(routed, 99) + " ms");
		System.out.println("\n| speed-to-lead benchmark | figure |\n|---|---|");
		figures.forEach((name, value) -> System.out.println("| " + name + " | " + value + " |"));
		System.out.println();
		assertThat(assigned).hasSize(samples);
	}

	private static String millis(List<Long> sortedNanos, int max) {
		return String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", nth(sortedNanos, 50) / 1e6, nth(sortedNanos, 99) / 1e6,
				nth(sortedNanos, max) / 1e6);
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
