package io.leadgraph.handoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

import io.leadgraph.support.IntegrationTest;

import org.springframework.core.ParameterizedTypeReference;


/** Reps, rules, leads and handoffs through the GraphQL API, for the handoff's integration tests. */
abstract class HandoffTestSupport extends IntegrationTest {

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	static final String ADMIN = "demo-admin";

	static final String MARKETING = "demo-marketing";

	static final String SALES = "demo-sales";

	/** Deletes every routing rule: each test routes by its own rules. */
	protected void deleteRules() {
		as(ADMIN).document("{ routingRules { id } }")
			.execute()
			.path("routingRules[*].id")
			.entityList(String.class)
			.get()
			.forEach(id -> as(ADMIN).document("mutation($id: ID!) { deleteRoutingRule(input: {id: $id}) { deleted } }")
				.variable("id", id)
				.execute());
	}

	/**
	 * A policy where a VP (+30 fit) who requests a demo (+40) is an MQL (total 60), with more
	 * engagement rules if given.
	 */
	@SafeVarargs
	protected static Map<String, Object> demoRequestPolicy(String name, Map<String, Object>... moreEngagement) {
		List<Map<String, Object>> engagement = new ArrayList<>();
		engagement.add(Map.of("id", "demo", "when", Map.of("field", "type", "op", "EQ", "value", "DEMO_REQUEST"),
				"points", 40));
		engagement.addAll(List.of(moreEngagement));
		return Map.of("name", name, "fitRules",
				List.of(Map.of("id", "vp", "when", Map.of("field", "title", "op", "CONTAINS", "value", "VP"), "points", 30)),
				"engagementRules", engagement, "mqlThreshold", Map.of("total", 60), "grades",
				Map.of("a", 30, "b", 20, "c", 10));
	}

	/** Saves and activates a scoring policy (the pointer switches at once; re-scoring runs behind). */
	protected void activate(Map<String, Object> policy) {
		String id = as(MARKETING)
			.document("mutation($input: SaveScoringPolicyInput!) { saveScoringPolicy(input: $input) { policy { id version } } }")
			.variable("input", Map.of("policy", policy))
			.execute()
			.path("saveScoringPolicy.policy.id")
			.entity(String.class)
			.get();
		as(MARKETING).documentName("activateScoringPolicy")
			.operationName("activateScoringPolicy")
			.variable("input", Map.of("id", id, "version", 1))
			.execute()
			.path("activateScoringPolicy.__typename")
			.entity(String.class)
			.isEqualTo("ScoringPolicyActivated");
	}

	protected void recordTouchpoint(String leadId, String type, String direction) {
		as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(Map.of("source", "handoff-it", "externalId",
					UUID.randomUUID().toString(), "type", type, "direction", direction, "occurredAt",
					java.time.Instant.now().toString(), "leadId", leadId))))
			.execute()
			.path("recordTouchpoints.results[0].status")
			.entity(String.class)
			.isEqualTo("RECORDED");
	}

	protected Map<String, Object> scoredLead(String leadId) {
		return as(MARKETING)
			.document("query($id: ID!) { lead(id: $id) { stage engagementResetAt score { total fit engagement } } }")
			.variable("id", leadId)
			.execute()
			.path("lead")
			.entity(MAP)
			.get();
	}

	protected Map<String, Object> handoffToDemoSales() {
		rep(SALES, Map.of("team", "demo"));
		if (as(ADMIN).document("{ routingRules { id } }").execute().path("routingRules").entityList(MAP).get().isEmpty()) {
			rule("demo-sales-only", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(SALES)));
		}
		String lead = createLead(Map.of());
		moveToMql(lead);
		return awaitHandoff(lead);
	}

	protected static String tag() {
		return "t" + UUID.randomUUID().toString().substring(0, 8);
	}

	protected String rep(String id, Map<String, Object> fields) {
		Map<String, Object> input = new HashMap<>(Map.of("id", id, "name", "Rep " + id, "email", id + "@sales.example"));
		input.putAll(fields);
		return as(ADMIN).document("mutation($input: SaveSalesRepInput!) { saveSalesRep(input: $input) { rep { id } } }")
			.variable("input", input)
			.execute()
			.path("saveSalesRep.rep.id")
			.entity(String.class)
			.get();
	}

	protected void rule(String id, Map<String, Object> fields) {
		Map<String, Object> input = new HashMap<>(Map.of("id", id, "name", "Rule " + id, "position", 0));
		input.putAll(fields);
		as(ADMIN).document("mutation($input: SaveRoutingRuleInput!) { saveRoutingRule(input: $input) { rule { id } } }")
			.variable("input", input)
			.execute()
			.path("saveRoutingRule.rule.id")
			.entity(String.class)
			.isEqualTo(id);
	}

	protected List<Map<String, Object>> reps(List<String> ids) {
		return ids.stream()
			.map(id -> as(ADMIN).document("query($id: ID!) { salesRep(id: $id) { id openHandoffs } }")
				.variable("id", id)
				.execute()
				.path("salesRep")
				.entity(MAP)
				.get())
			.toList();
	}

	protected int repOpen(String id) {
		return (int) reps(List.of(id)).getFirst().get("openHandoffs");
	}

	protected String createLead(Map<String, Object> fields) {
		Map<String, Object> input = new HashMap<>(fields);
		input.put("email", "lead-" + UUID.randomUUID() + "@example.com");
		return as(MARKETING)
			.document("mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }")
			.variable("input", input)
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	protected void moveToMql(String leadId) {
		as(MARKETING)
			.document("mutation($id: ID!) { moveLeadStage(input: {leadId: $id, to: MQL}) { __typename } }")
			.variable("id", leadId)
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	/** Marketing disqualifies an MQL: it leaves MQL other than by a decision. */
	protected void disqualify(String leadId) {
		as(MARKETING)
			.document("mutation($id: ID!) { moveLeadStage(input: {leadId: $id, to: DISQUALIFIED, reason: \"Not a real lead\"}) { __typename } }")
			.variable("id", leadId)
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	protected Map<String, Object> accept(String client, String handoffId) {
		return as(client).document("""
				mutation($id: ID!) { acceptHandoff(input: {handoffId: $id}) {
				  __typename
				  ... on HandoffAccepted { handoff { ...handoffFields } lead { id stage } }
				  ... on HandoffConflict { reason message handoff { id status } } } }""" + fragment())
			.variable("id", handoffId)
			.execute()
			.path("acceptHandoff")
			.entity(MAP)
			.get();
	}

	protected Map<String, Object> reject(String client, String handoffId, String reason, @Nullable String note) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("handoffId", handoffId);
		input.put("reason", reason);
		input.put("note", note);
		return as(client).document("""
				mutation($input: RejectHandoffInput!) { rejectHandoff(input: $input) {
				  __typename
				  ... on HandoffRejected { handoff { ...handoffFields } lead { id stage } }
				  ... on HandoffConflict { reason message handoff { id status } } } }""" + fragment())
			.variable("input", input)
			.execute()
			.path("rejectHandoff")
			.entity(MAP)
			.get();
	}

	protected Map<String, Object> handoff(String id) {
		return as(ADMIN).document("query($id: ID!) { handoff(id: $id) { ...handoffFields } }" + fragment())
			.variable("id", id)
			.execute()
			.path("handoff")
			.entity(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	protected static Map<String, Object> lead(Map<String, Object> handoff) {
		return (Map<String, Object>) handoff.get("lead");
	}

	protected static String fragment() {
		try (var in = HandoffTestSupport.class.getResourceAsStream("/graphql-test/handoffFields.graphql")) {
			return "\n" + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	protected List<Map<String, Object>> handoffsOf(String leadId) {
		return as(ADMIN)
			.document("query($lead: ID!) { handoffs(filter: {leadId: $lead}) { edges { node { ...handoffFields } } } }"
					+ fragment())
			.variable("lead", leadId)
			.execute()
			.path("handoffs.edges[*].node")
			.entityList(MAP)
			.get();
	}

	protected Map<String, Object> awaitHandoff(String leadId) {
		return awaitHandoffs(List.of(leadId)).get(leadId);
	}

	/** Routing is asynchronous (right after the MQL event is appended). */
	protected Map<String, Map<String, Object>> awaitHandoffs(List<String> leadIds) {
		Map<String, Map<String, Object>> found = new HashMap<>();
		eventually(() -> {
			for (String leadId : leadIds) {
				if (!found.containsKey(leadId)) {
					handoffsOf(leadId).stream().findFirst().ifPresent(handoff -> found.put(leadId, handoff));
				}
			}
			return found.size() == leadIds.size();
		});
		return found;
	}

	protected Map<String, Object> awaitEvent(String leadId, String type) {
		List<Map<String, Object>> match = new ArrayList<>();
		eventually(() -> {
			events(leadId).stream().filter(event -> event.get("type").equals(type)).findFirst().ifPresent(match::add);
			return !match.isEmpty();
		});
		return match.getFirst();
	}

	protected List<Map<String, Object>> events(String leadId) {
		return as(MARKETING).documentName("leadEvents")
			.variable("filter", Map.of("leadIds", List.of(leadId)))
			.variable("first", 100)
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(MAP)
			.get();
	}

	/** Waits (at most 10 s) for what happens after the request: routing and timers are asynchronous. */
	protected static void eventually(Callable<Boolean> done) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(done);
	}
}
