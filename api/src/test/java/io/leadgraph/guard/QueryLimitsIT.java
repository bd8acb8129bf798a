package io.leadgraph.guard;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each document limit at its limit (answered) and one past it (refused with its code, no data), over
 * HTTP with real tokens; the limits are lowered here so that documents stay readable.
 */
@TestPropertySource(properties = { "leadgraph.limits.max-depth=4", "leadgraph.limits.max-aliases=3",
		"leadgraph.limits.max-aliases-for-partners=2", "leadgraph.limits.max-directives=3",
		"leadgraph.limits.max-tokens=60", "leadgraph.limits.max-document-characters=600", "leadgraph.limits.max-cost=301",
		"leadgraph.limits.introspection=ADMINS", "leadgraph.limits.max-request-size=16KB" })
class QueryLimitsIT extends IntegrationTest {

	@Test
	void depth() {
		// leads 1, edges 2, node 3, email 4
		assertAnswered("demo-marketing", "{ leads(first: 1) { edges { node { email } } } }");
		assertRefused("demo-marketing", "{ leads(first: 1) { edges { node { company { name } } } } }",
				"MAX_DEPTH_EXCEEDED", 4, 5);
	}

	@Test
	void aliasesFewerForPartners() {
		post("demo-admin", "mutation { savePartner(input: {id: \"partner-acme\", name: \"Acme\"}) { partner { id } } }",
				Map.of());
		assertAnswered("demo-marketing", aliased("leads(first: 1) { edges { cursor } }", 3));
		assertRefused("demo-marketing", aliased("leads(first: 1) { edges { cursor } }", 4), "MAX_ALIASES_EXCEEDED", 3, 4);
		assertAnswered("demo-partner", aliased("myReferrals(first: 1) { edges { cursor } }", 2));
		assertRefused("demo-partner", aliased("myReferrals(first: 1) { edges { cursor } }", 3), "MAX_ALIASES_EXCEEDED",
				2, 3);
	}

	@Test
	void directives() {
		assertAnswered("demo-marketing",
				"{ leads(first: 1) { edges { cursor @include(if: true) node { id @skip(if: false) email @include(if: true) } } } }");
		assertRefused("demo-marketing", "{ leads(first: 1) { edges { cursor @include(if: true) @skip(if: false) "
				+ "node { id @skip(if: false) email @include(if: true) } } } }", "MAX_DIRECTIVES_EXCEEDED", 3, 4);
	}

	@Test
	void pageSizes() {
		assertAnswered("demo-marketing", "{ leads(first: 100) { pageInfo { hasNextPage } } }");
		assertRefused("demo-marketing", "{ leads(first: 101) { pageInfo { hasNextPage } } }", "MAX_PAGE_SIZE_EXCEEDED",
				100, 101);
		assertRefused("demo-marketing", "query($n: Int) { leads(first: $n) { pageInfo { hasNextPage } } }",
				Map.of("n", 101), "MAX_PAGE_SIZE_EXCEEDED", 100, 101);
	}

	@Test
	void costOfPagesTimesWhatTheySelect() {
		// email 1; node 1 + 1; edges 1 + 2; leads 1 + 100 × 3 = 301
		assertAnswered("demo-marketing", "{ leads(first: 100) { edges { node { email } } } }");
		// node 1 + 2; edges 1 + 3; leads 1 + 100 × 4 = 401
		assertRefused("demo-marketing", "{ leads(first: 100) { edges { node { email id } } } }", "MAX_COST_EXCEEDED",
				301, 401);
		// no first: the assumed page of 50 → 1 + 50 × 4 = 201
		assertAnswered("demo-marketing", "{ leads { edges { node { email id } } } }");
	}

	@Test
	void aFieldWhoseWorkIsNotInItsSelectionCostsWhatItIsSetTo() {
		String simulation = """
				mutation { simulateScoringPolicy(input: {draft: {id: "none"}}) { __typename } }""";
		// 2,500 for the pass over every lead (application.yaml; __typename is free): over this test's 301
		var refused = post("demo-marketing", simulation, Map.of());
		assertThat(refused).doesNotContainKey("data");
		assertThat(extensions(refused)).containsEntry("code", "MAX_COST_EXCEEDED").containsEntry("limit", 301)
			.containsEntry("actual", 2500);
	}

	@Test
	void aBatchPaysPerItem() {
		String byIds = "query($ids: [ID!]) { leadEvents(first: 1, filter: {leadIds: $ids}) { edges { cursor } } }";
		// cursor 1; edges 2; leadEvents 1 + 298 ids + 2 = 301
		assertThat(post("demo-marketing", byIds, Map.of("ids", ids(298)))).doesNotContainKey("errors");
		assertRefused("demo-marketing", byIds, Map.of("ids", ids(299)), "MAX_COST_EXCEEDED", 301, 302);
	}

	private static List<String> ids(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format("%024x", i)).toList();
	}

	@Test
	void tokens() {
		// { leads ( first : 1 ) { edges { cursor … } } } : 13 tokens around the cursors, and the end of the document
		assertAnswered("demo-marketing", "{ leads(first: 1) { edges { " + "cursor ".repeat(46) + "} } }");
		var refused = post("demo-marketing", "{ leads(first: 1) { edges { " + "cursor ".repeat(47) + "} } }", Map.of());
		assertThat(refused).doesNotContainKey("data");
		assertThat(extensions(refused)).containsEntry("code", "MAX_TOKENS_EXCEEDED").containsEntry("limit", 60);
	}

	@Test
	void documentSize() {
		String query = "{ leads(first: 1) { edges { cursor } } }";
		String atLimit = query + " #" + "x".repeat(600 - query.length() - 2);
		assertThat(atLimit).hasSize(600);
		assertAnswered("demo-marketing", atLimit);
		assertRefused("demo-marketing", atLimit + "x", "MAX_DOCUMENT_SIZE_EXCEEDED", 600, 601);
	}

	@Test
	void requestBodySizeWithALengthAndWithout() throws Exception {
		String query = "{\"query\":\"{ leads(first: 1) { edges { cursor } } }\"}";
		int limit = 16 * 1024;
		for (boolean chunked : new boolean[] { false, true }) {
			// JSON allows the whitespace after the request
			assertThat(sendBody(query + " ".repeat(limit - query.length()), chunked).statusCode()).as("chunked " + chunked)
				.isEqualTo(200);
			var refused = sendBody(query + " ".repeat(limit - query.length() + 1), chunked);
			assertThat(refused.statusCode()).as("chunked " + chunked).isEqualTo(413);
			assertThat(refused.body()).contains("\"code\":\"MAX_REQUEST_SIZE_EXCEEDED\"", "\"limit\":" + limit)
				.doesNotContain("\"data\"");
		}
	}

	@Test
	void overSseARefusalIsItsOwnErrorAndAResultWithoutAStreamIsOneEvent() throws Exception {
		String oversized = "subscription { leadEvents { eventId } } #" + "x".repeat(600);
		var refused = sse(oversized);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		assertThat(refused.body()).contains("MAX_DOCUMENT_SIZE_EXCEEDED").doesNotContain("supports only subscriptions");

		var invalid = sse("subscription { leadEvents { noSuchField } }");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("noSuchField").doesNotContain("supports only subscriptions");

		var query = sse("{ leads(first: 1) { edges { cursor } } }");
		assertThat(query.statusCode()).isEqualTo(200);
		assertThat(query.body()).contains("event:next", "\"leads\"", "event:complete").doesNotContain("supports only subscriptions");
	}

	private HttpResponse<String> sse(String document) throws Exception {
		try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
				.header("Authorization", "Bearer " + token("demo-marketing"))
				.header("Content-Type", "application/json")
				.header("Accept", "text/event-stream")
				.POST(HttpRequest.BodyPublishers.ofString(new tools.jackson.databind.json.JsonMapper()
					.writeValueAsString(Map.of("query", document))))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	private HttpResponse<String> sendBody(String body, boolean chunked) throws Exception {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
				.header("Authorization", "Bearer " + token("demo-marketing"))
				.header("Content-Type", "application/json")
				.POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
						: HttpRequest.BodyPublishers.ofByteArray(bytes))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	@Test
	void introspectionOnlyForAdminsAndNoSuggestionsOfFieldNames() {
		String schema = "{ __schema { queryType { name } } }";
		assertThat(post("demo-admin", schema, Map.of())).containsEntry("data",
				Map.of("__schema", Map.of("queryType", Map.of("name", "Query"))));
		var refused = post("demo-marketing", schema, Map.of());
		assertThat(refused.get("errors")).asString().contains("Introspection");
		assertThat(String.valueOf(refused.get("data"))).doesNotContain("Query");

		var misspelt = post("demo-marketing", "{ leads(first: 1) { edges { node { emial } } } }", Map.of());
		assertThat(misspelt).doesNotContainKey("data");
		assertThat(misspelt.get("errors")).asString().contains("emial").doesNotContainIgnoringCase("did you mean")
			.doesNotContain("email");
	}

	private void assertAnswered(String client, String document) {
		var answer = post(client, document, Map.of());
		assertThat(answer).as(document).doesNotContainKey("errors").containsKey("data");
	}

	private void assertRefused(String client, String document, String code, int limit, int actual) {
		assertRefused(client, document, Map.of(), code, limit, actual);
	}

	private void assertRefused(String client, String document, Map<String, Object> variables, String code, int limit,
			int actual) {
		var answer = post(client, document, variables);
		assertThat(answer).as("nothing was fetched").doesNotContainKey("data");
		assertThat(extensions(answer)).containsEntry("code", code)
			.containsEntry("limit", limit)
			.containsEntry("actual", actual)
			.containsEntry("classification", "BAD_REQUEST");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> extensions(Map<String, Object> answer) {
		List<Map<String, Object>> errors = (List<Map<String, Object>>) answer.get("errors");
		assertThat(errors).hasSize(1);
		return (Map<String, Object>) errors.getFirst().get("extensions");
	}

	private Map<String, Object> post(String client, String document, Map<String, Object> variables) {
		return RawPosts.post(port, token(client), document, variables).getBody();
	}

	private static String aliased(String field, int times) {
		StringBuilder document = new StringBuilder("{ ");
		for (int i = 0; i < times; i++) {
			document.append('a').append(i).append(": ").append(field).append(' ');
		}
		return document.append('}').toString();
	}
}
