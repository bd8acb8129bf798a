package io.leadgraph.guard;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;
import io.leadgraph.support.RawGraphQlSocket;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client budgets of cost points through HTTP with real tokens: each answer says what is left,
 * a client that cannot pay gets 429 with Retry-After, aliases pay for every copy, and another client
 * of the same role keeps its own budget. Budgets are small here (partners 20, sales
 * 15 — below the partners', which must hold too — marketing 40).
 */
@TestPropertySource(properties = { "leadgraph.rate-limits.budgets.partner=20",
		"leadgraph.rate-limits.budgets.marketing=40", "leadgraph.rate-limits.budgets.sales=15",
		"leadgraph.rate-limits.budgets.admin=1000000", "leadgraph.rate-limits.max-subscriptions-per-client=2" })
class RateLimitsIT extends IntegrationTest {

	/** cursor 1; edges 1 + 1; myReferrals 1 + 1 × 2 = 3 points */
	static final String THREE_POINTS = "{ myReferrals(first: 1) { edges { cursor } } }";

	@Test
	void aClientPaysEachRequestsCostUntilItsBudgetIsSpentThenWaits() {
		savePartners();
		// each request pays 1 on arrival and its operation's 3
		for (int spent = 4; spent <= 20; spent += 4) {
			var answer = post("demo-partner", THREE_POINTS);
			assertThat(answer.getStatusCode().value()).isEqualTo(200);
			assertThat(answer.getBody()).containsEntry("extensions", Map.of("rateLimit",
					Map.of("cost", 3, "budget", 20, "remaining", 20 - spent, "windowSeconds", 60)));
		}

		var refused = post("demo-partner", THREE_POINTS);
		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		long retryAfter = Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER));
		assertThat(retryAfter).isBetween(1L, 60L);
		assertThat(refused.getBody()).doesNotContainKey("data");
		assertThat(refused.getBody().get("errors")).asString()
			.contains("RATE_LIMITED")
			.contains("retryAfterSeconds=" + retryAfter)
			.doesNotContain("Exception");

		assertThat(post("demo-partner-2", THREE_POINTS).getStatusCode().value())
			.as("another partner's budget is its own").isEqualTo(200);
	}

	@Test
	void aliasesPayForEveryCopy() {
		// five copies of a 3-point field and the request's 1: 16 of marketing's 40, then 32, then refused
		String fiveCopies = "{ a: leads(first: 1) { edges { cursor } } b: leads(first: 1) { edges { cursor } } "
				+ "c: leads(first: 1) { edges { cursor } } d: leads(first: 1) { edges { cursor } } "
				+ "e: leads(first: 1) { edges { cursor } } }";
		assertThat(post("demo-marketing", fiveCopies).getBody()).extracting("extensions")
			.isEqualTo(Map.of("rateLimit", Map.of("cost", 15, "budget", 40, "remaining", 24, "windowSeconds", 60)));
		assertThat(post("demo-marketing", fiveCopies).getStatusCode().value()).isEqualTo(200);
		assertThat(post("demo-marketing", fiveCopies).getStatusCode().value()).isEqualTo(429);
	}

	@Test
	void operationsOverTheWebSocketPayFromTheSameBudget() throws Exception {
		var socket = RawGraphQlSocket.initialised(port, token("demo-sales"));
		// 1 point on arrival and 3 for the query, as over HTTP: three of sales' 15, the fourth refused
		for (int id = 1; id <= 3; id++) {
			socket.send(subscribe(id, "{ leads(first: 1) { edges { cursor } } }"));
			assertThat(socket.nextMessage()).contains("\"next\"").doesNotContain("RATE_LIMITED");
			assertThat(socket.nextMessage()).contains("\"complete\"");
		}
		socket.send(subscribe(4, "{ leads(first: 1) { edges { cursor } } }"));
		assertThat(socket.nextMessage()).contains("RATE_LIMITED").doesNotContain("edges");
		assertThat(post("demo-sales", "{ leads(first: 1) { edges { cursor } } }").getStatusCode().value()).isEqualTo(429);
	}

	@Test
	void aClientHoldsAtMostItsSubscriptionsAndAnEndedOneFreesItsPlace() throws Exception {
		String follow = "subscription { leadEvents { eventId } }";
		var socket = RawGraphQlSocket.initialised(port, token("demo-automation"));
		socket.send(subscribe(1, follow));
		socket.send(subscribe(2, follow));
		socket.send(subscribe(3, follow));
		assertThat(socket.nextMessage()).contains("\"error\"", "\"id\":\"3\"", "TOO_MANY_SUBSCRIPTIONS");

		socket.send("{\"id\":\"1\",\"type\":\"complete\"}");
		socket.send(subscribe(4, follow));
		socket.send(subscribe(5, follow));
		assertThat(socket.nextMessage()).as("4 took the place 1 left, so 5 is the one refused")
			.contains("\"error\"", "\"id\":\"5\"", "TOO_MANY_SUBSCRIPTIONS");
	}

	@Test
	void refusedDocumentsPayTooSoNothingIsFree() {
		savePartners();
		for (int i = 0; i < 20; i++) {
			post("demo-partner-2", "{ not a document");
		}
		assertThat(post("demo-partner-2", THREE_POINTS).getStatusCode().value()).isEqualTo(429);
	}

	private void savePartners() {
		for (String id : new String[] { "partner-acme", "partner-globex" }) {
			post("demo-admin", "mutation { savePartner(input: {id: \"" + id + "\", name: \"" + id + "\"}) { partner { id } } }");
		}
	}

	private static String subscribe(int id, String document) {
		return "{\"id\":\"" + id + "\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + document + "\"}}";
	}

	private ResponseEntity<Map<String, Object>> post(String client, String document) {
		return RawPosts.post(port, token(client), document, Map.of());
	}
}
