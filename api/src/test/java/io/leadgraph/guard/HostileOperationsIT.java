package io.leadgraph.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 malformed or hostile requests, generated from a fixed seed, against the running service:
 * none may answer with a stack trace, a Java class name or a MongoDB message, and the service stays
 * healthy and correct afterwards.
 */
class HostileOperationsIT extends IntegrationTest {

	static final int REQUESTS = 10_000;

	/** A fully qualified Java class name, a stack frame, or the store's own words. */
	static final Pattern LEAK = Pattern.compile("(?:\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*)"
			+ "|(?:\\bat [a-z][\\w.$]*\\()|Exception|NullPointer|E11000|MongoServer|com\\.mongodb|bwaldvogel|"
			+ "BsonInvalid|Caused by|\\bjava\\.|springframework", Pattern.CASE_INSENSITIVE);

	static final String[] CLIENTS = { "demo-admin", "demo-marketing", "demo-sales", "demo-partner", "demo-automation" };

	/** Fields with their argument's type, so that hostile values pass validation and reach the resolvers. */
	static final String[] FIELDS = { "ID!|lead(id: $v)", "Int|leads(first: $v)", "String|leads(after: $v)",
			"String|leads(before: $v, last: 2)", "LeadFilter|leads(filter: $v)", "String|leadEvents(after: $v)",
			"Int|leadEvents(first: $v)", "LeadEventFilter|leadEvents(filter: $v)", "HandoffFilter|handoffs(filter: $v)",
			"String|handoffs(after: $v)", "ID!|handoff(id: $v)", "String|myReferrals(after: $v)",
			"MyReferralsFilter|myReferrals(filter: $v)", "ID!|scoringPolicy(id: $v)", "ID!|scoringJob(id: $v)",
			"ID!|salesRep(id: $v)", "ID!|webhookDeliveries(endpointId: $v)", "StatsWindowInput|handoffStats(window: $v, groupBy: REP)" };

	static final String[] MUTATIONS = { "CreateLeadInput!|createLead(input: $v)", "UpdateLeadInput!|updateLead(input: $v)",
			"MoveLeadStageInput!|moveLeadStage(input: $v)", "RecordTouchpointsInput!|recordTouchpoints(input: $v)",
			"SaveScoringPolicyInput!|saveScoringPolicy(input: $v)", "ImportScoringPolicyInput!|importScoringPolicy(input: $v)",
			"SubmitReferralInput!|submitReferral(input: $v)", "AcceptHandoffInput!|acceptHandoff(input: $v)",
			"RejectHandoffInput!|rejectHandoff(input: $v)", "SaveSalesRepInput!|saveSalesRep(input: $v)",
			"SaveRoutingRuleInput!|saveRoutingRule(input: $v)", "CreateWebhookEndpointInput!|createWebhookEndpoint(input: $v)",
			"SavePartnerInput!|savePartner(input: $v)", "ActivateScoringPolicyInput!|activateScoringPolicy(input: $v)",
			"SimulateScoringPolicyInput!|simulateScoringPolicy(input: $v)" };

	static final String[] VALUES = { "null", "\"\"", "\"x\"", "-1", "0", "2147483648", "9223372036854775808",
			"1e309", "-0.0", "true", "[]", "[null]", "{}", "{\"$gt\": \"\"}", "{\"$where\": \"sleep(1000)\"}",
			"\"6b0000000000000000000000\"", "\"ffffffffffffffffffffffff\"", "\"../../etc/passwd\"", "\"\\u0000\"",
			"\"' OR 1=1 --\"", "\"<script>alert(1)</script>\"", "\"djEmcG9zaXRpb249bCUzQS0x\"", "\"bm9wZQ==\"",
			"{\"email\": \"not-an-email\"}", "{\"email\": {\"$ne\": null}}", "{\"leadId\": \"x\", \"to\": \"NOPE\"}",
			"{\"touchpoints\": [{\"source\": \"\", \"externalId\": \"\", \"type\": \"FORM_FILL\", \"occurredAt\": \"yesterday\"}]}",
			"{\"policy\": {\"fitRules\": [{\"id\": \"a\", \"when\": {\"field\": \"$where\", \"op\": \"EQ\", \"value\": 1}}]}}",
			"{\"yaml\": \"!!java.lang.Runtime {}\"}", "{\"yaml\": \"a: [\"}", "{\"url\": \"file:///etc/passwd\"}",
			"{\"url\": \"http://169.254.169.254/latest\"}", "{\"id\": \"A\", \"name\": \"\"}",
			"{\"handoffId\": \"6b0000000000000000000000\", \"reason\": \"OTHER\"}", "\"" + "x".repeat(5000) + "\"" };

	@Test
	void tenThousandHostileRequestsLeakNothingAndTheServiceStaysWell() {
		var random = new Random(20261123L);
		RestClient http = RestClient.create("http://localhost:" + port);
		List<String> tokens = new ArrayList<>();
		for (String client : CLIENTS) {
			tokens.add(token(client));
		}
		List<String> leaks = new ArrayList<>();
		int[] statuses = new int[6];
		for (int i = 0; i < REQUESTS; i++) {
			String body = hostileBody(random);
			String token = tokens.get(random.nextInt(tokens.size()));
			MediaType type = random.nextInt(10) == 0 ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON;
			var answer = http.method(random.nextInt(20) == 0 ? HttpMethod.GET : HttpMethod.POST)
				.uri("/graphql")
				.headers(headers -> {
					if (random.nextInt(30) != 0) {
						headers.setBearerAuth(token);
					}
				})
				.contentType(type)
				.accept(random.nextBoolean() ? MediaType.APPLICATION_JSON : MediaType.parseMediaType("application/graphql-response+json"))
				.body(body.getBytes(StandardCharsets.UTF_8))
				.exchange((request, response) -> response.getStatusCode().value() + " "
						+ new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
			statuses[Math.min(5, Integer.parseInt(answer.substring(0, 1)))]++;
			if (answer.startsWith("5") || LEAK.matcher(answer).find()) {
				leaks.add(body.length() > 300 ? body.substring(0, 300) : body);
				leaks.add("  → " + (answer.length() > 500 ? answer.substring(0, 500) : answer));
			}
		}

		assertThat(leaks).as("answers with a 5xx, a stack trace, a class name or a store message").isEmpty();
		assertThat(statuses[5]).isZero();
		assertThat(http.get().uri("/actuator/health").retrieve().body(String.class)).contains("\"UP\"");
		as("demo-marketing").document("{ leads(first: 1) { edges { cursor } } }").execute().path("leads.edges").hasValue();
	}

	/** One of: a broken document, a valid shape with a hostile value, a broken body. */
	private static String hostileBody(Random random) {
		String value = VALUES[random.nextInt(VALUES.length)];
		return switch (random.nextInt(8)) {
			case 0 -> typed("query", FIELDS[random.nextInt(FIELDS.length)], value);
			case 1 -> typed("mutation", MUTATIONS[random.nextInt(MUTATIONS.length)], value);
			case 2 -> json(literal(random), "null");
			case 3 -> json(garbled(random), "{}");
			case 4 -> json("query { " + "a: __typename ".repeat(random.nextInt(40)) + "}", "null");
			case 5 -> "{\"query\": " + value + ", \"variables\": " + VALUES[random.nextInt(VALUES.length)] + "}";
			case 6 -> garbled(random);
			default -> json("{ " + "leads(first: 1) { edges { node { ".repeat(1 + random.nextInt(30)) + "id"
					+ " } } }".repeat(1 + random.nextInt(30)) + " }", "null");
		};
	}

	private static String typed(String operation, String typedField, String value) {
		String[] parts = typedField.split("\\|", 2);
		return json(operation + "($v: " + parts[0] + ") { " + parts[1] + " { __typename } }", value);
	}

	/** A field called with a hostile value written into the document instead of a variable. */
	private static String literal(Random random) {
		boolean query = random.nextBoolean();
		String[] fields = query ? FIELDS : MUTATIONS;
		String field = fields[random.nextInt(fields.length)].split("\\|", 2)[1];
		String value = VALUES[random.nextInt(VALUES.length)].replaceAll("\"(\\$?\\w+)\": ", "$1: ");
		return (query ? "query" : "mutation") + " { " + field.replace("$v", value) + " { __typename } }";
	}

	/** A document or body cut, doubled or salted with random characters. */
	private static String garbled(Random random) {
		String base = "query($id: ID!) { lead(id: $id) { id email stage score { total } } }";
		StringBuilder text = new StringBuilder(base.substring(0, random.nextInt(base.length())));
		for (int i = random.nextInt(20); i > 0; i--) {
			text.insert(random.nextInt(text.length() + 1), (char) (random.nextInt(0x2FF) + 1));
		}
		return text.toString();
	}

	private static String json(String document, String variables) {
		return "{\"query\": \"" + document.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"variables\": {\"v\": "
				+ variables + "}}";
	}
}
