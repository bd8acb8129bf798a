package io.leadgraph.event;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscription fan-out benchmark — not a test: run it with
 * {@code ./mvnw -Pbenchmark verify -Dit.test=FanOutBenchmark} (README, "Benchmark"). S subscribers,
 * each on its own graphql-ws connection, follow {@code leadEvents} while a writer creates leads at R
 * events/s for T seconds; it reports delivered/expected and commit→receipt p50/p99 (commit taken
 * conservatively as the moment the write request was sent). Then it opens I idle subscriptions
 * (10 per connection, a filter nothing matches) and reports the service's heap per idle
 * subscription. Sizes: {@code -Dfanout.subscribers}, {@code -Dfanout.rate}, {@code -Dfanout.seconds},
 * {@code -Dfanout.idle}.
 */
class FanOutBenchmark extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	LiveEvents live;

	@Test
	void fanOut() throws Exception {
		int subscribers = Integer.getInteger("fanout.subscribers", 1_000);
		int rate = Integer.getInteger("fanout.rate", 5);
		int seconds = Integer.getInteger("fanout.seconds", 20);
		int idle = Integer.getInteger("fanout.idle", 5_000);
		String token = token("demo-sales");
		HttpClient http = HttpClient.newHttpClient();

		Map<String, Long> sentAt = new ConcurrentHashMap<>();
		// an event can arrive before its write request has returned: keep receipts by lead, match later
		Map<String, List<Long>> receivedAt = new ConcurrentHashMap<>();
		var delivered = new AtomicLong();
		List<Connection> connections = new ArrayList<>();
		int followersBefore = live.followerCount();
		for (int i = 0; i < subscribers; i++) {
			Connection connection = Connection.open(http, port, token, event -> {
				long now = System.nanoTime();
				receivedAt.computeIfAbsent(event.path("leadId").asString(), id -> Collections.synchronizedList(new ArrayList<>()))
					.add(now);
			});
			connection.subscribe("s", "{ types: [LEAD_CREATED] }");
			connections.add(connection);
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> live.followerCount() >= followersBefore + subscribers);

		int events = rate * seconds;
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		for (int i = 0; i < events; i++) {
			long due = start + i * interval;
			while (System.nanoTime() < due) {
				Thread.sleep(1);
			}
			String email = "fanout." + UUID.randomUUID() + "@example.com";
			long sent = System.nanoTime();
			String leadId = as("demo-marketing").documentName("createLead").fragmentName("leadFields")
				.variable("input", Map.of("email", email))
				.execute()
				.path("createLead.lead.id")
				.entity(String.class)
				.get();
			sentAt.put(leadId, sent);
		}
		long expected = (long) events * subscribers;
		await().atMost(Duration.ofSeconds(60)).until(() -> delivered(sentAt, receivedAt) >= expected);
		delivered.set(delivered(sentAt, receivedAt));
		List<Long> latencies = new ArrayList<>();
		sentAt.forEach((leadId, sent) -> receivedAt.getOrDefault(leadId, List.of()).forEach(at -> latencies.add(at - sent)));
		connections.forEach(Connection::close);
		await().atMost(Duration.ofSeconds(30)).until(() -> live.followerCount() <= followersBefore);

		double heapPerIdle = idleHeap(http, token, idle);

		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		Map<String, String> figures = new LinkedHashMap<>();
		figures.put("subscribers (one connection each)", String.valueOf(subscribers));
		figures.put("events written", events + " (" + rate + "/s for " + seconds + " s)");
		figures.put("delivered / expected", delivered.get() + " / " + expected);
		figures.put("commit → receipt p50 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms",
				percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100)));
		figures.put("idle subscriptions (10 per connection)", String.valueOf(idle));
		figures.put("service heap per idle subscription", String.format(Locale.ROOT, "%.1f KB", heapPerIdle / 1024));
		System.out.println("\n| fan-out benchmark | figure |\n|---|---|");
		figures.forEach((name, value) -> System.out.println("| " + name + " | " + value + " |"));
		System.out.println();

		assertThat(delivered.get()).isEqualTo(expected);
	}

	private static long delivered(Map<String, Long> sentAt, Map<String, List<Long>> receivedAt) {
		return sentAt.keySet().stream().mapToLong(leadId -> receivedAt.getOrDefault(leadId, List.of()).size()).sum();
	}

	/** Heap retained per idle subscription: used heap after GC with them open, minus before, over their count. */
	private double idleHeap(HttpClient http, String token, int idle) throws Exception {
		long before = usedHeapAfterGc();
		int followers = live.followerCount();
		List<Connection> connections = new ArrayList<>();
		for (int i = 0; i < idle / 10; i++) {
			Connection connection = Connection.open(http, port, token, event -> {
			});
			for (int s = 0; s < 10; s++) {
				connection.subscribe("idle" + s, "{ leadIds: [\"000000000000000000000000\"] }");
			}
			connections.add(connection);
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> live.followerCount() >= followers + idle);
		long with = usedHeapAfterGc();
		// the client side of the connections lives in this JVM too: measure it alone and take it off
		connections.forEach(Connection::close);
		await().atMost(Duration.ofSeconds(60)).until(() -> live.followerCount() <= followers);
		return (double) (with - before) / idle;
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static double percentile(List<Long> sortedNanos, int percentile) {
		if (sortedNanos.isEmpty()) {
			return 0;
		}
		int index = Math.min(sortedNanos.size() - 1, (int) Math.ceil(percentile / 100.0 * sortedNanos.size()) - 1);
		return sortedNanos.get(Math.max(0, index)) / 1e6;
	}

	/** One graphql-transport-ws connection, authenticated, with subscriptions on it. */
	private static final class Connection implements WebSocket.Listener {

		private final java.util.function.Consumer<JsonNode> onEvent;

		private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		private WebSocket socket;

		private Connection(java.util.function.Consumer<JsonNode> onEvent) {
			this.onEvent = onEvent;
		}

		static Connection open(HttpClient http, int port, String token, java.util.function.Consumer<JsonNode> onEvent)
				throws Exception {
			var connection = new Connection(onEvent);
			connection.socket = http.newWebSocketBuilder()
				.subprotocols("graphql-transport-ws")
				.buildAsync(URI.create("ws://localhost:" + port + "/graphql"), connection)
				.get(10, TimeUnit.SECONDS);
			connection.send("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token + "\"}}");
			connection.acknowledged.get(10, TimeUnit.SECONDS);
			return connection;
		}

		void subscribe(String id, String filter) throws Exception {
			send("{\"id\":\"" + id + "\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { leadEvents(filter: "
					+ filter.replace("\"", "\\\"") + ") { eventId leadId seq type } }\"}}");
		}

		void close() {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
		}

		private synchronized void send(String text) throws Exception {
			socket.sendText(text, true).get(10, TimeUnit.SECONDS);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				JsonNode message = JSON.readTree(partial.toString());
				partial.setLength(0);
				switch (message.path("type").asString()) {
					case "connection_ack" -> acknowledged.complete(null);
					case "next" -> onEvent.accept(message.path("payload").path("data").path("leadEvents"));
					default -> {
					}
				}
			}
			webSocket.request(1);
			return null;
		}
	}
}
