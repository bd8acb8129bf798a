package io.leadgraph.touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadgraph.support.IntegrationTest;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batch ingestion through {@code recordTouchpoints}: idempotency, partial success, capture, roles, events. */
class TouchpointIngestionIT extends IntegrationTest {

	@Autowired
	TouchpointEventRecorder recorder;

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@Test
	void aBatchRecordsWhatIsValidAndSaysWhyTheRestIsNot() {
		String email = unique("capture");
		String run = UUID.randomUUID().toString();
		List<Map<String, Object>> results = record("demo-automation", List.of(
				touch(run + "-1", "FORM_SUBMIT", email, Map.of("contact", Map.of("firstName", "Cleo", "lastName",
						"Park", "company", "Vandelay"), "campaign", Map.of("id", "q4-webinar", "name", "Q4 webinar"))),
				touch(run + "-2", "PAGE_VIEW", email, Map.of("properties", Map.of("path", "/pricing", "seconds", 42))),
				touch(run + "-1", "FORM_SUBMIT", email, Map.of()),
				touch(run + "-3", "TELEPATHY", email, Map.of()),
				touch(run + "-4", "PAGE_VIEW", email, Map.of("occurredAt", Instant.now().plus(1, ChronoUnit.HOURS).toString())),
				touch(run + "-5", "PAGE_VIEW", unique("stranger"), Map.of()),
				withoutLead(touch(run + "-6", "PAGE_VIEW", email, Map.of())),
				touch(run + "-7", "PAGE_VIEW", email, Map.of("properties", Map.of("nested", Map.of("a", 1)))),
				touch(run + "-8", "PAGE_VIEW", email, Map.of("occurredAt", "yesterday")),
				touch(run + "-9", "PAGE_VIEW", email, Map.of("channel", "CARRIER_PIGEON")),
				without(touch(run + "-10", "PAGE_VIEW", email, Map.of()), "source"),
				touch(run + "-11", "PAGE_VIEW", email, Map.of("properties", "just a string")),
				touch(run + "-12\u001fx", "PAGE_VIEW", email, Map.of()),
				without(touch(run + "-13", "PAGE_VIEW", email, Map.of()), "occurredAt")));

		assertThat(results).extracting(r -> r.get("index") + ":" + r.get("status") + ":" + r.get("code"))
			.containsExactly("0:RECORDED:null", "1:RECORDED:null", "2:DUPLICATE:null", "3:REJECTED:INVALID_VALUE",
					"4:REJECTED:OCCURRED_IN_FUTURE", "5:REJECTED:UNKNOWN_LEAD", "6:REJECTED:MISSING_LEAD",
					"7:REJECTED:INVALID_VALUE", "8:REJECTED:INVALID_DATETIME", "9:REJECTED:INVALID_VALUE",
					"10:REJECTED:REQUIRED", "11:REJECTED:INVALID_VALUE", "12:REJECTED:INVALID_VALUE",
					"13:REJECTED:REQUIRED");
		assertThat(results.get(10)).containsEntry("field", "touchpoints[10].source");
		assertThat(results.get(3)).containsEntry("field", "touchpoints[3].type");
		assertThat(results.get(7)).containsEntry("field", "touchpoints[7].properties.nested");
		assertThat(results.get(0)).containsEntry("leadCreated", true);
		assertThat(touchpoint(results.get(2))).containsEntry("id", touchpoint(results.get(0)).get("id"));
		assertThat(touchpoint(results.get(1))).containsEntry("channel", "WEB").containsEntry("direction", "INBOUND")
			.containsEntry("properties", Map.of("path", "/pricing", "seconds", 42));

		String leadId = (String) results.get(0).get("leadId");
		Map<String, Object> lead = as("demo-sales").document(
				"query($id: ID!) { lead(id: $id) { email firstName lastName source company { name domain } } }")
			.variable("id", leadId)
			.execute()
			.path("lead")
			.entity(MAP)
			.get();
		assertThat(lead).containsEntry("email", email).containsEntry("firstName", "Cleo")
			.containsEntry("source", "INBOUND");
		assertThat(lead.get("company")).isEqualTo(Map.of("name", "Vandelay", "domain", "example.com"));

		assertThat(settledEventTypes(leadId)).containsExactly("LEAD_CREATED:1", "TOUCHPOINT_RECORDED:2",
				"TOUCHPOINT_RECORDED:3");
	}

	@Test
	void aReplayedBatchIsAllDuplicatesAndAddsNoEvents() {
		String email = unique("replay");
		String run = UUID.randomUUID().toString();
		List<Map<String, Object>> batch = List.of(touch(run + "-a", "DEMO_REQUEST", email, Map.of()),
				touch(run + "-b", "EMAIL_CLICK", email, Map.of()));
		List<Map<String, Object>> first = record("demo-marketing", batch);
		List<Map<String, Object>> replay = record("demo-automation", batch);

		assertThat(replay).extracting(r -> r.get("status")).containsOnly("DUPLICATE");
		assertThat(replay).extracting(r -> touchpoint(r).get("id"))
			.containsExactlyElementsOf(first.stream().map(r -> touchpoint(r).get("id")).toList());
		assertThat(settledEventTypes((String) first.get(0).get("leadId"))).hasSize(3);
	}

	@Test
	void aReplayedCaptureDoesNotCaptureAgainAfterTheLeadChangedItsEmail() {
		String email = unique("moved");
		Map<String, Object> capture = touch(UUID.randomUUID().toString(), "DEMO_REQUEST", email, Map.of());
		String leadId = (String) record("demo-automation", List.of(capture)).get(0).get("leadId");
		as("demo-marketing").documentName("updateLead").fragmentName("leadFields")
			.variable("input", Map.of("id", leadId, "email", unique("moved-on")))
			.executeAndVerify();

		Map<String, Object> replay = record("demo-automation", List.of(capture)).get(0);

		assertThat(replay).containsEntry("status", "DUPLICATE").containsEntry("leadId", leadId);
		assertNoLeadHasEmail(email);
	}

	@Test
	void moreThan500IsATypedErrorAndRecordsNothing() {
		String email = unique("toomany");
		List<Map<String, Object>> batch = new ArrayList<>();
		for (int i = 0; i < 501; i++) {
			batch.add(touch(UUID.randomUUID().toString(), "FORM_SUBMIT", email, Map.of()));
		}
		as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", batch))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
				assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
				assertThat(error.getExtensions()).containsEntry("code", "TOO_MANY_TOUCHPOINTS");
			}));
		assertNoLeadHasEmail(email);
	}

	@Test
	void salesRecordsItsOutboundActivitiesOnlyAndPartnersNothing() {
		String email = unique("roles");
		String run = UUID.randomUUID().toString();
		record("demo-marketing", List.of(touch(run + "-0", "FORM_SUBMIT", email, Map.of())));

		List<Map<String, Object>> results = record("demo-sales", List.of(touch(run + "-1", "CALL", email, Map.of()),
				touch(run + "-2", "PAGE_VIEW", email, Map.of()),
				touch(run + "-3", "MEETING", email, Map.of("direction", "INBOUND")),
				touch(run + "-4", "DEMO_REQUEST", unique("salescapture"), Map.of())));

		assertThat(results).extracting(r -> r.get("status") + ":" + r.get("code")).containsExactly("RECORDED:null",
				"REJECTED:NOT_PERMITTED_FOR_ROLE", "REJECTED:NOT_PERMITTED_FOR_ROLE",
				"REJECTED:NOT_PERMITTED_FOR_ROLE");
		assertThat(touchpoint(results.get(0))).containsEntry("direction", "OUTBOUND").containsEntry("channel", "PHONE");

		as("demo-partner").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(touch(run + "-5", "CALL", email, Map.of()))))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).singleElement()
				.satisfies(error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.FORBIDDEN)));
	}

	@Test
	void touchpointsByLeadIdAndInvalidCaptureContact() {
		String email = unique("byid");
		String run = UUID.randomUUID().toString();
		String leadId = (String) record("demo-marketing", List.of(touch(run + "-0", "CHAT", email, Map.of())))
			.get(0)
			.get("leadId");
		Map<String, Object> byId = touch(run + "-1", "PAGE_VIEW", null, Map.of("leadId", leadId));
		Map<String, Object> unknownId = touch(run + "-2", "PAGE_VIEW", null, Map.of("leadId", "6b0000000000000000000000"));
		Map<String, Object> badContact = touch(run + "-3", "FORM_SUBMIT", unique("badcontact"),
				Map.of("contact", Map.of("phone", "call me maybe")));

		List<Map<String, Object>> results = record("demo-automation", List.of(byId, unknownId, badContact));

		assertThat(results).extracting(r -> r.get("status") + ":" + r.get("code") + ":" + r.get("field"))
			.containsExactly("RECORDED:null:null", "REJECTED:UNKNOWN_LEAD:touchpoints[1].leadId",
					"REJECTED:INVALID_PHONE:touchpoints[2].contact.phone");
		assertThat(results.get(0)).containsEntry("leadId", leadId);
	}

	// --- helpers

	static String unique(String prefix) {
		return prefix + "." + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
	}

	static Map<String, Object> touch(String externalId, String type, String email, Map<String, Object> extra) {
		Map<String, Object> touch = new HashMap<>();
		touch.put("source", "it");
		touch.put("externalId", externalId);
		touch.put("type", type);
		touch.put("occurredAt", Instant.now().minusSeconds(60).toString());
		if (email != null) {
			touch.put("email", email);
		}
		touch.putAll(extra);
		return touch;
	}

	private static Map<String, Object> withoutLead(Map<String, Object> touch) {
		return without(touch, "email");
	}

	private static Map<String, Object> without(Map<String, Object> touch, String field) {
		touch.remove(field);
		return touch;
	}

	private void assertNoLeadHasEmail(String email) {
		as("demo-sales").document("query($t: String) { leads(filter: {text: $t}) { edges { node { id } } } }")
			.variable("t", email)
			.execute()
			.path("leads.edges")
			.entityList(Object.class)
			.hasSize(0);
	}

	List<Map<String, Object>> record(String client, List<Map<String, Object>> touchpoints) {
		return as(client).documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", touchpoints))
			.execute()
			.path("recordTouchpoints.results")
			.entityList(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> touchpoint(Map<String, Object> result) {
		return (Map<String, Object>) result.get("touchpoint");
	}

	/** The lead's events once the event recorder has handled everything submitted so far. */
	List<String> settledEventTypes(String leadId) {
		await().atMost(Duration.ofSeconds(20)).until(recorder::idle);
		return eventTypes(leadId);
	}

	List<String> eventTypes(String leadId) {
		return as("demo-admin").document(
				"query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}) { edges { node { type seq } } } }")
			.variable("ids", List.of(leadId))
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(MAP)
			.get()
			.stream()
			.map(node -> node.get("type") + ":" + node.get("seq"))
			.toList();
	}
}
