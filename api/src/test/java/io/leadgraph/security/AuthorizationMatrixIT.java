package io.leadgraph.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import graphql.schema.GraphQLObjectType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.IntegrationTest;
import io.leadgraph.support.RawGraphQlSocket;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every root field × role, sent as a real request, gets the outcome the README's authorization matrix documents. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT extends IntegrationTest {

	static final String SECTION = "### Authorization matrix";

	static final String OTHER_REP = "matrix-other-rep";

	static final String OTHER_TITLE = "Matrix Other";

	static final String ENDPOINT_URL = "https://192.0.2.10/matrix";

	static final Map<String, Object> POLICY = Map.of("name", "Matrix", "fitRules",
			List.of(Map.of("id", "vp", "when", Map.of("field", "title", "op", "CONTAINS", "value", "VP"), "points", 10)),
			"engagementRules", List.of(), "mqlThreshold", Map.of("total", 60), "grades", Map.of("a", 30, "b", 20, "c", 10));

	static final String POLICY_YAML = """
			name: Matrix
			fitRules:
			  - id: vp
			    when: {field: title, op: CONTAINS, value: VP}
			    points: 10
			engagementRules: []
			mqlThreshold: {total: 60}
			grades: {a: 30, b: 20, c: 10}
			""";

	static final String LEAD_EVENTS = """
			subscription($after: String, $ids: [ID!]) { leadEvents(after: $after, filter: {leadIds: $ids}) { leadId type } }""";

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	enum Role {

		ADMIN("admin", "demo-admin"), MARKETING("marketing", "demo-marketing"), SALES("sales", "demo-sales"),
		PARTNER("partner", "demo-partner"), AUTOMATION("automation", "demo-automation"), NO_TOKEN("no token", null);

		final String column;

		final @Nullable String client;

		Role(String column, @Nullable String client) {
			this.column = column;
			this.client = client;
		}

		String slug() {
			return name().toLowerCase(Locale.ROOT).replace("_", "");
		}

		static Role ofColumn(String column) {
			return Arrays.stream(values())
				.filter(role -> role.column.equals(column))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no role has the column '" + column + "'"));
		}
	}

	enum Outcome {

		ALLOWED("✓"), FORBIDDEN("FORBIDDEN"), NULL("null"), OWN("own"), HTTP_401("401"), CLOSED_4403("4403");

		final String cell;

		Outcome(String cell) {
			this.cell = cell;
		}

		static Outcome ofCell(String cell) {
			return Arrays.stream(values())
				.filter(outcome -> outcome.cell.equals(cell))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("'" + cell + "' is not a cell of the matrix's vocabulary"));
		}
	}

	/** One cell of the README's table. */
	record Cell(String row, Role role, Outcome outcome) {

		@Override
		public String toString() {
			return row + " × " + role.column + ": " + outcome.cell;
		}
	}

	/** What an allowed call answers: a value, null, or (for ids nothing has) one error of this classification. */
	enum Answer {
		VALUE, NULL, NOT_FOUND
	}

	/**
	 * The request for one root field: its document, the variables each role sends, what an allowed
	 * call answers (and a check of that value), and a check that a refused call changed nothing.
	 */
	record Call(String document, Function<Role, Map<String, Object>> variables, Answer answer,
			@Nullable Consumer<Object> value, @Nullable Consumer<Role> unchanged) {

		Call answering(Consumer<Object> check) {
			return new Call(document, variables, answer, check, unchanged);
		}

		Call changingNothing(Consumer<Role> check) {
			return new Call(document, variables, answer, value, check);
		}
	}

	/** An HTTP answer: the status and, for 2xx, the body. */
	record Answered(int status, @Nullable Map<String, Object> body) {

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> errors() {
			return body == null ? List.of() : (List<Map<String, Object>>) body.getOrDefault("errors", List.of());
		}

		@SuppressWarnings("unchecked")
		@Nullable Map<String, Object> data() {
			return body == null ? null : (Map<String, Object>) body.get("data");
		}

		@Nullable Object field(String name) {
			Map<String, Object> data = data();
			return data == null ? null : data.get(name);
		}
	}

	/** What a subscription delivered before it ended or the wanted number of events arrived. */
	record Streamed(List<Map<String, Object>> events, List<ResponseError> errors) {
	}

	@Autowired
	GraphQlSource graphQlSource;

	private Map<String, Call> calls;

	private Map<String, Consumer<Role>> ownChecks;

	private String lead;

	private String cursorBeforeLead;

	private String acmeLead;

	private String globexLead;

	private final Map<Role, String> leadToMove = new EnumMap<>(Role.class);

	private final Map<String, String> handoffs = new LinkedHashMap<>();

	private String endpoint;

	static Stream<Cell> cells() {
		List<Cell> cells = new ArrayList<>();
		matrix().forEach((row, outcomes) -> outcomes.forEach((role, outcome) -> cells.add(new Cell(row, role, outcome))));
		return cells.stream();
	}

	@BeforeAll
	void fixtures() {
		savePartner("partner-acme");
		savePartner("partner-globex");
		routeHandoffs();

		String before = createLead("matrix-before@example.com", Map.of());
		cursorBeforeLead = cursorOfLastEvent(before);
		lead = createLead("matrix-lead@example.com", Map.of());
		for (Role role : List.of(Role.ADMIN, Role.MARKETING, Role.SALES)) {
			leadToMove.put(role, createLead("matrix-move-" + role.slug() + "@example.com", Map.of()));
		}
		move(leadToMove.get(Role.SALES), "MQL");
		acmeLead = referredLead("demo-partner", "matrix-own", "pat@matrix-acme-own.example", "Matrix Acme Own");
		globexLead = referredLead("demo-partner-2", "matrix-own", "sam@matrix-globex-own.example", "Matrix Globex Own");
		move(acmeLead, "MQL");

		endpoint = admin("""
				mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }""",
				Map.of("input", Map.of("url", ENDPOINT_URL, "active", false)), "createWebhookEndpoint.endpoint.id",
				String.class);
		admin("mutation($input: SaveScoringPolicyInput!) { saveScoringPolicy(input: $input) { policy { id } } }",
				Map.of("input", Map.of("id", "matrix-policy", "policy", POLICY)), "saveScoringPolicy.policy.id",
				String.class);
		saveRule("matrix-rule-delete", 100, null, "demo-sales", false);

		calls = calls();
		ownChecks = ownChecks();
	}

	@AfterAll
	void removeRoutingRules() {
		for (String rule : List.of("matrix-rule-admin", "matrix-rule-delete")) {
			deleteRule(rule);
		}
	}

	@Test
	void everyRootFieldOfTheSchemaHasARowAndARequestAndEveryRowAField() {
		var schema = graphQlSource.schema();
		Set<String> fields = new TreeSet<>();
		var roots = List.of(schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType());
		for (GraphQLObjectType type : roots) {
			type.getFieldDefinitions().forEach(field -> fields.add(type.getName() + "." + field.getName()));
		}
		assertThat(new TreeSet<>(matrix().keySet())).as("rows of the README's authorization matrix").isEqualTo(fields);
		assertThat(new TreeSet<>(calls.keySet())).as("rows this test has a request for").isEqualTo(fields);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cells")
	void cell(Cell cell) throws Exception {
		try {
			check(cell);
		}
		catch (AssertionError | RuntimeException failed) {
			// reports number the invocations of a parameterized test: the message names the cell
			throw new AssertionError(cell + ": " + failed.getMessage(), failed);
		}
	}

	private void check(Cell cell) throws Exception {
		Call call = calls.get(cell.row());
		assertThat(call).as("a request for " + cell.row()).isNotNull();
		String field = cell.row().substring(cell.row().indexOf('.') + 1);
		boolean subscription = cell.row().startsWith("Subscription.");
		switch (cell.outcome()) {
			case ALLOWED -> {
				if (subscription) {
					assertAnswered(call, field, subscribe(cell.role(), call, field, 1));
				}
				else {
					assertAnswered(call, field, post(cell.role(), call));
				}
			}
			case FORBIDDEN -> {
				if (subscription) {
					assertForbidden(subscribe(cell.role(), call, field, 1));
				}
				else {
					assertForbidden(field, post(cell.role(), call));
				}
				if (call.unchanged() != null) {
					call.unchanged().accept(cell.role());
				}
			}
			case NULL -> {
				assertThat(subscription).as("null is an answer to queries and mutations").isFalse();
				Answered answered = post(cell.role(), call);
				assertThat(answered.status()).isEqualTo(200);
				assertThat(answered.errors()).isEmpty();
				assertThat(answered.data()).containsEntry(field, null);
			}
			case OWN -> {
				assertThat(ownChecks).as("a check of what " + cell.role().column + " owns in " + cell.row())
					.containsKey(cell.row());
				ownChecks.get(cell.row()).accept(cell.role());
			}
			case HTTP_401 -> {
				assertThat(subscription).as("401 is the answer over HTTP; subscriptions get 4403").isFalse();
				assertThat(post(cell.role(), call).status()).isEqualTo(401);
				if (call.unchanged() != null) {
					call.unchanged().accept(cell.role());
				}
			}
			case CLOSED_4403 -> {
				assertThat(subscription).as("4403 is for subscriptions; queries and mutations get 401").isTrue();
				assertClosedWithoutToken(call, cell.role());
			}
		}
	}

	private Map<String, Call> calls() {
		Map<String, Call> calls = new LinkedHashMap<>();
		calls.put("Query.lead", call("query($id: ID!) { lead(id: $id) { id } }",
				role -> Map.of("id", role == Role.PARTNER ? acmeLead : lead), Answer.VALUE));
		calls.put("Query.leads", call("{ leads(first: 1) { edges { cursor } } }", Answer.VALUE));
		calls.put("Query.leadEvents",
				call("query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}, first: 1) { edges { cursor } } }",
						role -> Map.of("ids", List.of(lead)), Answer.VALUE));
		calls.put("Query.salesReps", call("{ salesReps { id } }", Answer.VALUE));
		calls.put("Query.salesRep", call("query($id: ID!) { salesRep(id: $id) { id } }",
				role -> Map.of("id", "demo-sales"), Answer.VALUE));
		calls.put("Query.routingRules", call("{ routingRules { id } }", Answer.VALUE));
		calls.put("Query.handoff", call("query($id: ID!) { handoff(id: $id) { id } }",
				role -> Map.of("id", handoffs.get(OTHER_REP)), Answer.VALUE));
		calls.put("Query.handoffs", call("{ handoffs(first: 1) { edges { cursor } } }", Answer.VALUE));
		calls.put("Query.handoffStats", call("{ handoffStats(groupBy: REP) { groupBy } }", Answer.VALUE));
		calls.put("Query.partners", call("{ partners { id } }", Answer.VALUE));
		calls.put("Query.myReferrals",
				call("query($ids: [ID!]) { myReferrals(filter: {leadIds: $ids}) { edges { node { reference } } } }",
						role -> Map.of("ids", List.of(lead, acmeLead, globexLead)), Answer.VALUE));
		calls.put("Query.scoringPolicies", call("{ scoringPolicies { id } }", Answer.VALUE));
		calls.put("Query.scoringPolicy", call("query($id: ID!) { scoringPolicy(id: $id) { id } }",
				role -> Map.of("id", "matrix-policy"), Answer.VALUE));
		calls.put("Query.scoringJob", call("{ scoringJob(id: \"matrix-no-such-job\") { id } }", Answer.NULL));
		calls.put("Query.scoringJobs", call("{ scoringJobs(first: 1) { id } }", Answer.VALUE));
		calls.put("Query.webhookEndpoints", call("{ webhookEndpoints { id } }", Answer.VALUE));
		calls.put("Query.webhookDeliveries",
				call("query($id: ID!) { webhookDeliveries(endpointId: $id, first: 1) { eventId } }",
						role -> Map.of("id", endpoint), Answer.VALUE));

		calls.put("Mutation.createLead", mutation("createLead", "CreateLeadInput", "__typename",
				role -> Map.of("email", email(role, "createlead")), Answer.VALUE)
			.answering(typename("LeadCreated"))
			.changingNothing(role -> assertNoLeadWithEmail(email(role, "createlead"))));
		calls.put("Mutation.updateLead", mutation("updateLead", "UpdateLeadInput", "__typename",
				role -> Map.of("id", lead, "title", "Matrix " + role.slug()), Answer.VALUE)
			.answering(typename("LeadUpdated"))
			.changingNothing(role -> assertThat(admin("query($id: ID!) { lead(id: $id) { title } }",
					Map.of("id", lead), "lead", MAP)).doesNotContainEntry("title", "Matrix " + role.slug())));
		calls.put("Mutation.moveLeadStage", mutation("moveLeadStage", "MoveLeadStageInput", "__typename",
				role -> role == Role.SALES ? Map.of("leadId", leadToMove.get(Role.SALES), "to", "SQL")
						: Map.of("leadId", leadToMove.getOrDefault(role, leadToMove.get(Role.ADMIN)), "to", "DISQUALIFIED",
								"reason", "matrix"),
				Answer.VALUE)
			.answering(typename("StageMoved")));
		calls.put("Mutation.recordTouchpoints", mutation("recordTouchpoints", "RecordTouchpointsInput",
				"results { status }", role -> Map.of("touchpoints", List.of(Map.of("source", "matrix", "externalId",
						"matrix-" + role.slug(), "type", "CALL", "direction", "OUTBOUND", "occurredAt",
						Instant.now().toString(), "leadId", lead))),
				Answer.VALUE)
			.answering(value -> assertThat(value).isEqualTo(Map.of("results", List.of(Map.of("status", "RECORDED"))))));

		calls.put("Mutation.saveScoringPolicy", mutation("saveScoringPolicy", "SaveScoringPolicyInput", "policy { id }",
				role -> Map.of("id", "matrix-policy-" + role.slug(), "policy", POLICY), Answer.VALUE)
			.changingNothing(role -> assertNoPolicy("matrix-policy-" + role.slug())));
		calls.put("Mutation.importScoringPolicy", mutation("importScoringPolicy", "ImportScoringPolicyInput",
				"policy { id }", role -> Map.of("id", "matrix-import-" + role.slug(), "yaml", POLICY_YAML), Answer.VALUE)
			.changingNothing(role -> assertNoPolicy("matrix-import-" + role.slug())));
		calls.put("Mutation.activateScoringPolicy", mutation("activateScoringPolicy", "ActivateScoringPolicyInput",
				"__typename", role -> Map.of("id", "matrix-no-such-policy", "version", 1), Answer.NOT_FOUND));
		calls.put("Mutation.simulateScoringPolicy", mutation("simulateScoringPolicy", "SimulateScoringPolicyInput",
				"leadsEvaluated", role -> Map.of("draft", Map.of("id", "matrix-policy")), Answer.VALUE));

		calls.put("Mutation.saveSalesRep", mutation("saveSalesRep", "SaveSalesRepInput", "rep { id }",
				role -> Map.of("id", "matrix-rep-" + role.slug(), "name", "Matrix rep", "email",
						"matrix-rep-" + role.slug() + "@sales.example", "active", false),
				Answer.VALUE)
			.changingNothing(role -> assertNothingAt("query($id: ID!) { salesRep(id: $id) { id } }",
					Map.of("id", "matrix-rep-" + role.slug()), "salesRep")));
		calls.put("Mutation.saveRoutingRule", mutation("saveRoutingRule", "SaveRoutingRuleInput", "rule { id }",
				role -> rule("matrix-rule-" + role.slug(), 100, null, "demo-sales", false), Answer.VALUE)
			.changingNothing(role -> assertThat(adminList("{ routingRules { id } }", Map.of(), "routingRules"))
				.doesNotContain(Map.of("id", "matrix-rule-" + role.slug()))));
		calls.put("Mutation.deleteRoutingRule", mutation("deleteRoutingRule", "DeleteRoutingRuleInput", "deleted",
				role -> Map.of("id", "matrix-rule-delete"), Answer.VALUE)
			.answering(value -> assertThat(value).isEqualTo(Map.of("deleted", true))));
		calls.put("Mutation.acceptHandoff", mutation("acceptHandoff", "AcceptHandoffInput", "__typename",
				role -> Map.of("handoffId", handoffs.getOrDefault("accept-" + role.slug(), handoffs.get(OTHER_REP))),
				Answer.VALUE)
			.answering(typename("HandoffAccepted"))
			.changingNothing(role -> assertStillPending(handoffs.get(OTHER_REP))));
		calls.put("Mutation.rejectHandoff", mutation("rejectHandoff", "RejectHandoffInput", "__typename",
				role -> Map.of("handoffId", handoffs.getOrDefault("reject-" + role.slug(), handoffs.get(OTHER_REP)),
						"reason", "NO_BUDGET"),
				Answer.VALUE)
			.answering(typename("HandoffRejected"))
			.changingNothing(role -> assertStillPending(handoffs.get(OTHER_REP))));

		calls.put("Mutation.savePartner", mutation("savePartner", "SavePartnerInput", "partner { id }",
				role -> Map.of("id", "matrix-partner-" + role.slug(), "name", "Matrix partner"), Answer.VALUE)
			.changingNothing(role -> assertThat(adminList("{ partners { id } }", Map.of(), "partners"))
				.doesNotContain(Map.of("id", "matrix-partner-" + role.slug()))));
		calls.put("Mutation.submitReferral", mutation("submitReferral", "SubmitReferralInput", "__typename",
				role -> Map.of("reference", "matrix-" + role.slug(), "email", referralEmail(role), "firstName", "Pat",
						"company", Map.of("name", "Matrix " + role.slug() + " Referral")),
				Answer.VALUE)
			.answering(typename("ReferralAccepted"))
			.changingNothing(role -> assertNoLeadWithEmail(referralEmail(role))));

		calls.put("Mutation.createWebhookEndpoint", mutation("createWebhookEndpoint", "CreateWebhookEndpointInput",
				"__typename", role -> Map.of("url", ENDPOINT_URL + "/" + role.slug(), "active", false), Answer.VALUE)
			.changingNothing(role -> assertThat(adminList("{ webhookEndpoints { url } }", Map.of(), "webhookEndpoints"))
				.doesNotContain(Map.of("url", ENDPOINT_URL + "/" + role.slug()))));
		calls.put("Mutation.updateWebhookEndpoint", mutation("updateWebhookEndpoint", "UpdateWebhookEndpointInput", "id",
				role -> Map.of("id", endpoint, "active", false), Answer.VALUE));
		calls.put("Mutation.rotateWebhookSecret", mutation("rotateWebhookSecret", "WebhookEndpointIdInput", "__typename",
				role -> Map.of("id", endpoint), Answer.VALUE));
		calls.put("Mutation.redeliverWebhook", mutation("redeliverWebhook", "RedeliverWebhookInput", "__typename",
				role -> Map.of("endpointId", endpoint, "eventId", "matrix-no-such-event"), Answer.NOT_FOUND));

		calls.put("Subscription.leadEvents", call(LEAD_EVENTS,
				role -> Map.of("after", cursorBeforeLead, "ids", List.of(lead)), Answer.VALUE)
			.answering(value -> assertThat(value).isEqualTo(Map.of("leadId", lead, "type", "LEAD_CREATED"))));
		calls.put("Subscription.scoringJob",
				call("subscription { scoringJob(id: \"matrix-no-such-job\") { id } }", Answer.NOT_FOUND));
		return calls;
	}

	/** The cells that say {@code own}: the caller's own things run, someone else's do not. */
	private Map<String, Consumer<Role>> ownChecks() {
		Map<String, Consumer<Role>> checks = new LinkedHashMap<>();
		checks.put("Mutation.acceptHandoff", role -> decidesOnlyItsOwnHandoffs(role, "accept", Map.of(), "HandoffAccepted"));
		checks.put("Mutation.rejectHandoff",
				role -> decidesOnlyItsOwnHandoffs(role, "reject", Map.of("reason", "NO_BUDGET"), "HandoffRejected"));
		checks.put("Query.myReferrals", role -> {
			Answered answered = post(role, calls.get("Query.myReferrals"));
			assertThat(answered.errors()).isEmpty();
			assertThat(answered.field("myReferrals"))
				.isEqualTo(Map.of("edges", List.of(Map.of("node", Map.of("reference", "matrix-own")))));
		});
		checks.put("Subscription.leadEvents", role -> {
			Call everyLead = call(LEAD_EVENTS,
					r -> Map.of("after", cursorBeforeLead, "ids", List.of(lead, globexLead, acmeLead)), Answer.VALUE);
			Streamed streamed = subscribe(role, everyLead, "leadEvents", 2);
			assertThat(streamed.errors()).isEmpty();
			assertThat(streamed.events()).as("its referral's acceptance and move to MQL, nothing of the other leads")
				.containsExactly(Map.of("leadId", acmeLead, "type", "REFERRAL_STATUS_CHANGED"),
						Map.of("leadId", acmeLead, "type", "REFERRAL_STATUS_CHANGED"));
		});
		return checks;
	}

	private void decidesOnlyItsOwnHandoffs(Role role, String decision, Map<String, Object> input, String decided) {
		String document = calls.get("Mutation." + decision + "Handoff").document();
		Function<String, Call> on = handoff -> call(document, r -> {
			Map<String, Object> variables = new LinkedHashMap<>(input);
			variables.put("handoffId", handoff);
			return Map.of("input", variables);
		}, Answer.VALUE);
		Answered own = post(role, on.apply(handoffs.get(decision + "-" + role.slug())));
		assertThat(own.errors()).isEmpty();
		assertThat(own.field(decision + "Handoff")).isEqualTo(Map.of("__typename", decided));
		assertForbidden(decision + "Handoff", post(role, on.apply(handoffs.get(OTHER_REP))));
		assertStillPending(handoffs.get(OTHER_REP));
	}

	private void assertAnswered(Call call, String field, Answered answered) {
		assertThat(answered.status()).isEqualTo(200);
		switch (call.answer()) {
			case VALUE -> {
				assertThat(answered.errors()).isEmpty();
				assertThat(answered.field(field)).isNotNull();
				if (call.value() != null) {
					call.value().accept(answered.field(field));
				}
			}
			case NULL -> {
				assertThat(answered.errors()).isEmpty();
				assertThat(answered.data()).containsEntry(field, null);
			}
			case NOT_FOUND -> {
				assertThat(answered.errors()).singleElement()
					.satisfies(error -> assertThat(classification(error)).isEqualTo("NOT_FOUND"))
					.satisfies(error -> assertThat(error.get("path")).isEqualTo(List.of(field)));
				assertThat(answered.field(field)).isNull();
			}
		}
	}

	private void assertAnswered(Call call, String field, Streamed streamed) {
		switch (call.answer()) {
			case VALUE -> {
				assertThat(streamed.errors()).isEmpty();
				assertThat(streamed.events()).singleElement().satisfies(event -> {
					if (call.value() != null) {
						call.value().accept(event);
					}
				});
			}
			case NULL -> throw new IllegalStateException("a subscription answers events or an error, not null");
			case NOT_FOUND -> {
				assertThat(streamed.events()).isEmpty();
				assertThat(streamed.errors()).extracting(error -> error.getErrorType().toString())
					.containsExactly("NOT_FOUND");
			}
		}
	}

	private static void assertForbidden(String field, Answered answered) {
		assertThat(answered.status()).isEqualTo(200);
		assertThat(answered.errors()).singleElement()
			.satisfies(error -> assertThat(classification(error)).isEqualTo("FORBIDDEN"))
			.satisfies(error -> assertThat(error.get("path")).isEqualTo(List.of(field)));
		assertThat(answered.field(field)).isNull();
	}

	private static void assertForbidden(Streamed streamed) {
		assertThat(streamed.events()).isEmpty();
		assertThat(streamed.errors()).extracting(error -> error.getErrorType().toString()).containsExactly("FORBIDDEN");
	}

	private void assertClosedWithoutToken(Call call, Role role) throws Exception {
		RawGraphQlSocket socket = RawGraphQlSocket.open(port);
		socket.send(RawGraphQlSocket.INIT_WITHOUT_TOKEN);
		String subscribe = new JsonMapper().writeValueAsString(Map.of("id", "1", "type", "subscribe", "payload",
				Map.of("query", call.document(), "variables", call.variables().apply(role))));
		try {
			socket.send(subscribe);
		}
		catch (IOException | IllegalStateException closedOnTheInitAlready) {
			// the outcome wanted, reached before the subscribe went out
		}
		assertThat(socket.closeCode()).isEqualTo(4403);
		assertThat(socket.received()).noneMatch(message -> message.contains("\"next\""));
	}

	private Answered post(Role role, Call call) {
		return RestClient.create("http://localhost:" + port)
			.post()
			.uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.headers(headers -> {
				if (role.client != null) {
					headers.setBearerAuth(token(role.client));
				}
			})
			.body(Map.of("query", call.document(), "variables", call.variables().apply(role)))
			.exchange((request, response) -> new Answered(response.getStatusCode().value(),
					response.getStatusCode().is2xxSuccessful() ? response.bodyTo(MAP) : null));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Streamed subscribe(Role role, Call call, String field, int events) {
		var socket = GraphQlSockets.socket(port, token(role.client));
		List<Map<String, Object>> received = new ArrayList<>();
		List<ResponseError> errors = new ArrayList<>();
		try {
			socket.document(call.document())
				.variables(call.variables().apply(role))
				.executeSubscription()
				.toFlux(field, (Class<Map<String, Object>>) (Class) Map.class)
				.take(events)
				.timeout(Duration.ofSeconds(10))
				.doOnNext(received::add)
				.blockLast();
		}
		catch (SubscriptionErrorException refused) {
			errors.addAll(refused.getErrors());
		}
		finally {
			socket.stop().block(Duration.ofSeconds(5));
		}
		return new Streamed(received, errors);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Object classification(Map<String, Object> error) {
		Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
		return extensions == null ? null : extensions.get("classification");
	}

	private static Consumer<Object> typename(String name) {
		return value -> assertThat(value).isEqualTo(Map.of("__typename", name));
	}

	private static Call call(String document, Answer answer) {
		return call(document, role -> Map.of(), answer);
	}

	private static Call call(String document, Function<Role, Map<String, Object>> variables, Answer answer) {
		return new Call(document, variables, answer, null, null);
	}

	/** A mutation of its one {@code input} argument, selecting {@code selection} of its payload. */
	private static Call mutation(String field, String inputType, String selection,
			Function<Role, Map<String, Object>> input, Answer answer) {
		return call("mutation($input: " + inputType + "!) { " + field + "(input: $input) { " + selection + " } }",
				role -> Map.of("input", input.apply(role)), answer);
	}

	private static String email(Role role, String field) {
		return "matrix-" + role.slug() + "-" + field + "@example.com";
	}

	private static String referralEmail(Role role) {
		return "matrix-" + role.slug() + "-submitreferral@matrix-" + role.slug() + "-referral.example";
	}

	private void assertNoLeadWithEmail(String email) {
		List<Object> found = adminList(
				"query($text: String) { leads(filter: {text: $text}, first: 10) { edges { node { email } } } }",
				Map.of("text", email), "leads.edges");
		assertThat(found).as("leads with " + email).doesNotContain(Map.of("node", Map.of("email", email)));
	}

	private void assertNoPolicy(String id) {
		assertNothingAt("query($id: ID!) { scoringPolicy(id: $id) { id } }", Map.of("id", id), "scoringPolicy");
	}

	private void assertStillPending(String handoff) {
		assertThat(admin("query($id: ID!) { handoff(id: $id) { status } }", Map.of("id", handoff), "handoff", MAP))
			.isEqualTo(Map.of("status", "PENDING"));
	}

	/**
	 * Five MQLs routed while two rules exist (removed again at once: other tests sharing this store
	 * do not expect routing): one to another rep, and to demo-sales one each for the admin's and the
	 * rep's accept and reject.
	 */
	private void routeHandoffs() {
		saveRep("demo-sales");
		saveRep(OTHER_REP);
		saveRule("matrix-route-other", 0, Map.of("field", "title", "op", "EQ", "value", OTHER_TITLE), OTHER_REP, true);
		saveRule("matrix-route-sales", 1, null, "demo-sales", true);
		Map<String, String> leads = new LinkedHashMap<>();
		leads.put(OTHER_REP, createLead("matrix-handoff-other@example.com", Map.of("title", OTHER_TITLE)));
		for (String decision : List.of("accept-admin", "accept-sales", "reject-admin", "reject-sales")) {
			leads.put(decision, createLead("matrix-handoff-" + decision + "@example.com", Map.of()));
		}
		leads.values().forEach(id -> move(id, "MQL"));
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				leads.forEach((key, leadId) -> {
					if (!handoffs.containsKey(key)) {
						List<Object> routed = adminList(
								"query($id: ID!) { handoffs(filter: {leadId: $id}) { edges { node { id repId } } } }",
								Map.of("id", leadId), "handoffs.edges");
						if (!routed.isEmpty()) {
							Map<?, ?> node = (Map<?, ?>) ((Map<?, ?>) routed.getFirst()).get("node");
							assertThat(node.get("repId")).isEqualTo(key.equals(OTHER_REP) ? OTHER_REP : "demo-sales");
							handoffs.put(key, (String) node.get("id"));
						}
					}
				});
				return handoffs.size() == leads.size();
			});
		}
		finally {
			deleteRule("matrix-route-other");
			deleteRule("matrix-route-sales");
		}
	}

	private void saveRep(String id) {
		admin("mutation($input: SaveSalesRepInput!) { saveSalesRep(input: $input) { rep { id } } }",
				Map.of("input", Map.of("id", id, "name", "Rep " + id, "email", id + "@sales.example")),
				"saveSalesRep.rep.id", String.class);
	}

	private void saveRule(String id, int position, @Nullable Map<String, Object> when, String rep, boolean active) {
		admin("mutation($input: SaveRoutingRuleInput!) { saveRoutingRule(input: $input) { rule { id } } }",
				Map.of("input", rule(id, position, when, rep, active)), "saveRoutingRule.rule.id", String.class);
	}

	private static Map<String, Object> rule(String id, int position, @Nullable Map<String, Object> when, String rep,
			boolean active) {
		Map<String, Object> rule = new LinkedHashMap<>(Map.of("id", id, "name", "Matrix " + id, "position", position,
				"pool", List.of(rep), "strategy", "ROUND_ROBIN", "active", active));
		if (when != null) {
			rule.put("when", when);
		}
		return rule;
	}

	private void deleteRule(String id) {
		admin("mutation($id: ID!) { deleteRoutingRule(input: {id: $id}) { deleted } }", Map.of("id", id),
				"deleteRoutingRule.deleted", Boolean.class);
	}

	private void savePartner(String id) {
		admin("mutation($input: SavePartnerInput!) { savePartner(input: $input) { partner { id } } }",
				Map.of("input", Map.of("id", id, "name", id, "status", "ACTIVE", "protectionDays", 90)),
				"savePartner.partner.id", String.class);
	}

	private String createLead(String email, Map<String, Object> fields) {
		Map<String, Object> input = new LinkedHashMap<>(fields);
		input.put("email", email);
		return admin("""
				mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }""",
				Map.of("input", input), "createLead.lead.id", String.class);
	}

	private void move(String leadId, String stage) {
		as("demo-marketing")
			.document("mutation($id: ID!, $to: Stage!) { moveLeadStage(input: {leadId: $id, to: $to}) { __typename } }")
			.variable("id", leadId)
			.variable("to", stage)
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	private String referredLead(String client, String reference, String email, String company) {
		return as(client).document("""
				mutation($input: SubmitReferralInput!) {
				  submitReferral(input: $input) { __typename ... on ReferralAccepted { lead { id } } } }""")
			.variable("input", Map.of("reference", reference, "email", email, "company", Map.of("name", company)))
			.execute()
			.path("submitReferral.lead.id")
			.entity(String.class)
			.get();
	}

	private <T> T admin(String document, Map<String, Object> variables, String path, Class<T> type) {
		return as("demo-admin").document(document).variables(variables).execute().path(path).entity(type).get();
	}

	private void assertNothingAt(String document, Map<String, Object> variables, String path) {
		as("demo-admin").document(document).variables(variables).execute().path(path).valueIsNull();
	}

	private List<Object> adminList(String document, Map<String, Object> variables, String path) {
		return as("demo-admin").document(document).variables(variables).execute().path(path).entityList(Object.class).get();
	}

	private <T> T admin(String document, Map<String, Object> variables, String path, ParameterizedTypeReference<T> type) {
		return as("demo-admin").document(document).variables(variables).execute().path(path).entity(type).get();
	}

	static Map<String, Map<Role, Outcome>> matrix() {
		List<String> lines = readmeLines();
		int at = lines.indexOf(SECTION);
		List<String> table = lines.subList(at + 1, lines.size())
			.stream()
			.dropWhile(line -> !line.startsWith("|"))
			.takeWhile(line -> line.startsWith("|"))
			.toList();
		assertThat(table).as("the table under " + SECTION).hasSizeGreaterThan(2);
		List<Role> columns = cellsOf(table.get(0)).stream().skip(1).map(Role::ofColumn).toList();
		assertThat(columns).as("the matrix's columns").containsExactly(Role.values());
		Map<String, Map<Role, Outcome>> matrix = new LinkedHashMap<>();
		for (String line : table.subList(2, table.size())) {
			List<String> cells = cellsOf(line);
			assertThat(cells).as(line).hasSize(columns.size() + 1);
			Map<Role, Outcome> outcomes = new EnumMap<>(Role.class);
			for (int i = 0; i < columns.size(); i++) {
				outcomes.put(columns.get(i), Outcome.ofCell(cells.get(i + 1)));
			}
			String row = cells.get(0).replace("`", "");
			assertThat(matrix.put(row, outcomes)).as("rows named " + row).isNull();
		}
		return matrix;
	}

	private static List<String> cellsOf(String line) {
		return Arrays.stream(line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|"))
			.map(String::strip)
			.toList();
	}

	/** The README that documents the matrix: the project's, found from the module Failsafe runs in. */
	private static List<String> readmeLines() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path readme = dir.resolve("README.md");
			if (Files.isRegularFile(readme)) {
				try {
					List<String> lines = Files.readAllLines(readme);
					if (lines.contains(SECTION)) {
						return lines;
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		throw new IllegalStateException(
				"no README.md with '" + SECTION + "' in " + Path.of("").toAbsolutePath() + " or above");
	}
}
