package io.leadgraph.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code leadEvents} subscription over graphql-ws: authenticated in {@code connection_init},
 * live, and resumable from a cursor with nothing lost or repeated at the switch from replay to live.
 */
class LeadEventSubscriptionIT extends IntegrationTest {

	@Autowired
	LiveEvents live;

	@Autowired
	WebTestClient web;

	@Autowired
	EventLog eventLog;

	private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

	private final ExecutorService writers = Executors.newFixedThreadPool(2);

	record Event(String eventId, String cursor, String leadId, int seq, String type) {
	}

	@AfterEach
	void close() {
		writers.shutdownNow();
		sockets.forEach(socket -> socket.stop().block(Duration.ofSeconds(5)));
	}

	@Test
	void aSubscriberFromACursorGetsEveryLaterEventOnceWhileEventsKeepComing() throws Exception {
		String cursor = cursorOfLastEvent(createLead("seam-start"));
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeLeads("seam", 40), writers);

		var received = new ArrayList<Event>();
		var subscription = socket("demo-sales").documentName("followLeadEvents")
			.variable("after", cursor)
			.executeSubscription()
			.toFlux("leadEvents", Event.class);
		writing.get();
		List<Event> expected = logAfter(cursor);
		subscription.take(expected.size()).timeout(Duration.ofSeconds(20)).doOnNext(received::add).blockLast();

		assertThat(received).as("exactly the log after the cursor, in log order").isEqualTo(expected);
		assertThat(expected).hasSizeGreaterThanOrEqualTo(40);
	}

	@Test
	void aSubscriberKilledAndResumed100TimesMissesNothingAndGetsNothingTwice() throws Exception {
		String start = cursorOfLastEvent(createLead("resume-start"));
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeLeads("resume", 220), writers);

		List<Event> received = new ArrayList<>();
		String cursor = start;
		for (int round = 0; round < 100; round++) {
			List<Event> taken = socket("demo-marketing").documentName("followLeadEvents")
				.variable("after", cursor)
				.executeSubscription()
				.toFlux("leadEvents", Event.class)
				.take(1 + round % 3)
				.timeout(Duration.ofSeconds(20))
				.collectList()
				.block();
			received.addAll(taken);
			cursor = taken.getLast().cursor();
		}
		writing.get();
		List<Event> expected = logAfter(start);

		assertThat(received).hasSize(199);
		assertThat(new HashSet<>(received.stream().map(Event::eventId).toList())).hasSize(received.size());
		assertThat(received).as("a prefix of the log after the start cursor")
			.isEqualTo(expected.subList(0, received.size()));
	}

	@Test
	void liveSubscribersSeeNewEventsOfTheirFilter() {
		String leadId = createLead("live");
		// automation scripts are the subscription's first users
		var events = socket("demo-automation").documentName("followLeadEvents")
			.variable("filter", Map.of("leadIds", List.of(leadId)))
			.executeSubscription()
			.toFlux("leadEvents", Event.class);
		int following = live.followerCount();
		var first = events.next().toFuture();
		await().until(() -> live.followerCount() > following);
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "live test"))
			.executeAndVerify();
		Event moved = Mono.fromFuture(first).block(Duration.ofSeconds(10));
		assertThat(moved.type()).isEqualTo("STAGE_CHANGED");
		assertThat(moved.seq()).isEqualTo(2);
	}

	@Test
	void filtersByStageMoveOwnerAndSourceApplyToReplayAndLive() {
		String start = cursorOfLastEvent(createLead("filters-start"));
		String owner = "rep-" + UUID.randomUUID();
		String accepted = createLead(Map.of("source", "PARTNER", "owner", Map.of("id", owner, "name", "Rep")));
		String declined = createLead(Map.of("source", "EVENT"));
		move(accepted, "MQL", "demo-marketing");
		move(declined, "MQL", "demo-marketing");
		move(accepted, "SQL", "demo-sales");

		var toSql = socket("demo-sales").documentName("followLeadEvents")
			.variable("after", start)
			.variable("filter", Map.of("toStages", List.of("SQL")))
			.executeSubscription()
			.toFlux("leadEvents", Event.class);
		int following = live.followerCount();
		var firstTwo = toSql.take(2).collectList().toFuture();
		await().until(() -> live.followerCount() > following);
		move(declined, "SQL", "demo-sales");
		assertThat(Mono.fromFuture(firstTwo).block(Duration.ofSeconds(10)))
			.extracting(event -> event.leadId() + " " + event.seq())
			.as("one replayed, one live, nothing else")
			.containsExactly(accepted + " 3", declined + " 3");

		assertThat(logAfter(start, Map.of("ownerIds", List.of(owner)))).extracting(Event::leadId).containsOnly(accepted)
			.hasSize(3);
		assertThat(logAfter(start, Map.of("sources", List.of("EVENT"), "fromStages", List.of("MQL"))))
			.extracting(event -> event.leadId() + " " + event.type() + " " + event.seq())
			.containsExactly(declined + " STAGE_CHANGED 3");
	}

	@Test
	void serverSentEventsCarryTheSameStream() {
		String leadId = createLead("sse");
		String cursor = cursorOfLastEvent(leadId);
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "sse test"))
			.executeAndVerify();

		var body = Map.of("query", "subscription($after: String, $ids: [ID!]) { leadEvents(after: $after, filter: {leadIds: $ids}) { leadId seq type } }",
				"variables", Map.of("after", cursor, "ids", List.of(leadId)));
		var first = web.post()
			.uri("/graphql")
			.headers(headers -> headers.setBearerAuth(token("demo-sales")))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
			})
			.getResponseBody()
			.filter(event -> "next".equals(event.event()))
			.blockFirst(Duration.ofSeconds(10));
		assertThat(first.data()).isEqualTo(
				Map.of("data", Map.of("leadEvents", Map.of("leadId", leadId, "seq", 2, "type", "STAGE_CHANGED"))));
	}

	@Test
	void aSubscriberThatDoesNotReadIsDroppedWithoutHoldingUpTheOthers() throws Exception {
		int followers = live.followerCount();
		var neverRead = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
				.header("Authorization", "Bearer " + token("demo-sales"))
				.header("Content-Type", "application/json")
				.header("Accept", "text/event-stream")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"query\":\"subscription { leadEvents { eventId leadId seq type occurredAt actor payload } }\"}"))
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		await().until(() -> live.followerCount() == followers + 1);
		String lead = "slow-" + UUID.randomUUID();
		var reader = socket("demo-admin").documentName("followLeadEvents")
			.variable("filter", Map.of("leadIds", List.of(lead)))
			.executeSubscription()
			.toFlux("leadEvents", Event.class);
		int events = 5_000;
		var count = new java.util.concurrent.atomic.AtomicInteger();
		var received = reader.take(events).doOnNext(event -> count.incrementAndGet()).count().toFuture();
		await().until(() -> live.followerCount() == followers + 2);

		String bulky = "x".repeat(2_000);
		for (int from = 0; from < events; from += 500) {
			List<PendingEvent> batch = new ArrayList<>();
			for (int seq = from + 1; seq <= from + 500; seq++) {
				batch.add(new PendingEvent(UUID.randomUUID().toString(), lead, seq, "LEAD_UPDATED", Instant.now(), "test",
						Map.of("note", bulky), PendingEvent.LeadFacts.NONE));
			}
			assertThat(eventLog.append(batch)).isTrue();
			// the reading subscriber keeps up (its own buffer is 1,000); the other one reads nothing
			int written = from + 500;
			await().atMost(Duration.ofSeconds(20)).until(() -> count.get() >= written);
		}

		assertThat(Mono.fromFuture(received).block(Duration.ofSeconds(60))).isEqualTo(events);
		await().atMost(Duration.ofSeconds(10)).until(() -> live.followerCount() == followers);
		neverRead.body().close();
	}

	@Test
	void aConnectionWithoutAValidTokenIsRefused() {
		for (Object payload : List.of(Map.of(), Map.of("Authorization", "Bearer not-a-token"))) {
			var tester = WebSocketGraphQlTester.builder(URI.create("ws://localhost:" + port + "/graphql"),
					new StandardWebSocketClient())
				.interceptor(initPayload(payload))
				.build();
			assertThatThrownBy(() -> tester.start().block(Duration.ofSeconds(10))).hasMessageContaining("4403");
		}
	}

	// --- helpers

	private WebSocketGraphQlTester socket(String clientId) {
		var tester = socket(port, token(clientId));
		sockets.add(tester);
		return tester;
	}

	static WebSocketGraphQlTester socket(int port, String token) {
		return GraphQlSockets.socket(port, token);
	}

	private static WebSocketGraphQlClientInterceptor initPayload(Object payload) {
		return new WebSocketGraphQlClientInterceptor() {
			@Override
			public Mono<Object> connectionInitPayload() {
				return Mono.just(payload);
			}
		};
	}

	private String createLead(String prefix) {
		return createLead(Map.of("email", prefix + "." + UUID.randomUUID() + "@example.com"));
	}

	private String createLead(Map<String, Object> fields) {
		var input = new HashMap<String, Object>(fields);
		input.putIfAbsent("email", "filtered." + UUID.randomUUID() + "@example.com");
		return as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	private void writeLeads(String prefix, int count) {
		for (int i = 0; i < count; i++) {
			createLead(prefix + i);
		}
	}

	private void move(String leadId, String to, String client) {
		as(client).documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", to, "reason", "filter test"))
			.executeAndVerify();
	}

	private List<Event> logAfter(String cursor) {
		return logAfter(cursor, Map.of());
	}

	private List<Event> logAfter(String cursor, Map<String, Object> filter) {
		List<Event> events = new ArrayList<>();
		String after = cursor;
		boolean more = true;
		while (more) {
			var variables = new HashMap<String, Object>();
			variables.put("after", after);
			variables.put("first", 100);
			variables.put("filter", filter);
			var page = as("demo-admin").document("""
					query($after: String, $first: Int, $filter: LeadEventFilter) { leadEvents(after: $after, first: $first, filter: $filter) {
					  edges { node { eventId cursor leadId seq type } } pageInfo { hasNextPage endCursor } } }""")
				.variables(variables)
				.execute();
			events.addAll(page.path("leadEvents.edges[*].node").entityList(Event.class).get());
			more = page.path("leadEvents.pageInfo.hasNextPage").entity(Boolean.class).get();
			after = page.path("leadEvents.pageInfo.endCursor").entity(String.class).get();
		}
		return events;
	}
}
