package io.leadgraph.partner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.leadgraph.support.IntegrationTest;

import org.springframework.core.ParameterizedTypeReference;

/** What referral tests share: the demo partners' clients, submitting, listing, leads and their events. */
abstract class ReferralTestSupport extends IntegrationTest {

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	static final String ACME = "demo-partner";

	static final String GLOBEX = "demo-partner-2";

	static final String SUBMIT = """
			mutation($input: SubmitReferralInput!) { submitReferral(input: $input) {
			  __typename
			  ... on ReferralAccepted { referral { id reference status protectedUntil submittedAt } lead { id } protectedUntil }
			  ... on ReferralConflict { reason since }
			  ... on ReferralRejected { errors { field code message } } } }""";

	List<Map<String, Object>> myReferrals(String client, Map<String, Object> filter, int first, String after) {
		return as(client).document("""
				query($filter: MyReferralsFilter, $first: Int, $after: String) {
				  myReferrals(filter: $filter, first: $first, after: $after) {
				    edges { node { id reference status protectedUntil submittedAt } } } }""")
			.variable("filter", filter)
			.variable("first", first)
			.variable("after", after)
			.execute()
			.path("myReferrals.edges[*].node")
			.entityList(MAP)
			.get();
	}

	void savePartner(String id, String status, int protectionDays) {
		savePartner(id, status, protectionDays, 30);
	}

	void savePartner(String id, String status, int protectionDays, int recallDays) {
		as("demo-admin")
			.document("mutation($input: SavePartnerInput!) { savePartner(input: $input) { partner { id status } } }")
			.variable("input", Map.of("id", id, "name", id, "status", status, "protectionDays", protectionDays,
					"recallDays", recallDays))
			.execute()
			.path("savePartner.partner.status")
			.entity(String.class)
			.isEqualTo(status);
	}

	Map<String, Object> submit(String client, Map<String, Object> input) {
		return as(client).document(SUBMIT).variable("input", input).execute().path("submitReferral").entity(MAP).get();
	}

	static Map<String, Object> referral(String reference, String email, String company) {
		Map<String, Object> input = new HashMap<>();
		input.put("reference", reference);
		input.put("email", email);
		input.put("firstName", "Pat");
		input.put("lastName", "Partner");
		input.put("company", Map.of("name", company));
		input.put("notes", "Met at the partner summit");
		return input;
	}

	static String domain() {
		return "co-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
	}

	String createLead(String email) {
		return as("demo-marketing")
			.document("mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }")
			.variable("input", Map.of("email", email))
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	void move(String leadId, String stage) {
		as("demo-admin")
			.document("""
					mutation($id: ID!, $to: Stage!) {
					  moveLeadStage(input: {leadId: $id, to: $to, reason: "test"}) { __typename } }""")
			.variable("id", leadId)
			.variable("to", stage)
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	List<String> eventTypes(String leadId) {
		return as("demo-marketing").documentName("leadEvents")
			.variable("filter", Map.of("leadIds", List.of(leadId)))
			.variable("first", 100)
			.execute()
			.path("leadEvents.edges[*].node.type")
			.entityList(String.class)
			.get();
	}
}
