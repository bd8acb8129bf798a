package io.leadgraph.touchpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import static io.leadgraph.touchpoint.TouchpointIngestionIT.touch;
import static io.leadgraph.touchpoint.TouchpointIngestionIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Touchpoints whose events the recorder never got to (a crash, a full queue) are listed in the
 * backlog; the sweep records their events exactly once, even when the recorder comes back too.
 */
class TouchpointEventSweepIT extends IntegrationTest {

	@Autowired
	TouchpointEventRecorder recorder;

	@Autowired
	TouchpointEventSweep sweep;

	@Autowired
	MongoTemplate mongo;

	@AfterEach
	void recorderRuns() {
		if (!recorder.isRunning()) {
			recorder.start();
		}
	}

	@Test
	void eventsTheRecorderNeverRecordedAreRecordedOnceByTheSweep() {
		String email = unique("sweep");
		String run = UUID.randomUUID().toString();
		String leadId = record(touch(run + "-0", "FORM_SUBMIT", email, Map.of())).getFirst().get("leadId");
		await().until(recorder::idle);

		recorder.stop();
		assertThat(record(touch(run + "-1", "PAGE_VIEW", email, Map.of()), touch(run + "-2", "EMAIL_OPEN", email, Map.of())))
			.extracting(result -> result.get("status"))
			.containsExactly("RECORDED", "RECORDED");
		assertThat(eventTypes(leadId)).containsExactly("LEAD_CREATED:1", "TOUCHPOINT_RECORDED:2");

		sweep.sweep();
		assertThat(eventTypes(leadId)).as("entries within the grace period are the recorder's")
			.containsExactly("LEAD_CREATED:1", "TOUCHPOINT_RECORDED:2");

		ageBacklog();
		sweep.sweep();
		sweep.sweep();
		assertThat(eventTypes(leadId)).containsExactly("LEAD_CREATED:1", "TOUCHPOINT_RECORDED:2",
				"TOUCHPOINT_RECORDED:3", "TOUCHPOINT_RECORDED:4");

		recorder.start();
		await().until(recorder::idle);
		assertThat(eventTypes(leadId)).as("the recorder, back, records nothing twice")
			.containsExactly("LEAD_CREATED:1", "TOUCHPOINT_RECORDED:2", "TOUCHPOINT_RECORDED:3",
					"TOUCHPOINT_RECORDED:4");
		assertThat(mongo.exists(everyBacklogEntry(), PendingTouchpointEvents.class)).isFalse();
	}

	@SafeVarargs
	private List<Map<String, String>> record(Map<String, Object>... touchpoints) {
		return as("demo-automation").document("""
				mutation($input: RecordTouchpointsInput!) { recordTouchpoints(input: $input) { results { status leadId } } }""")
			.variable("input", Map.of("touchpoints", List.of(touchpoints)))
			.execute()
			.path("recordTouchpoints.results")
			.entityList(new ParameterizedTypeReference<Map<String, String>>() {
			})
			.get();
	}

	private List<String> eventTypes(String leadId) {
		return as("demo-admin").document(
				"query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}) { edges { node { type seq } } } }")
			.variable("ids", List.of(leadId))
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.get()
			.stream()
			.map(node -> node.get("type") + ":" + node.get("seq"))
			.toList();
	}

	private static Query everyBacklogEntry() {
		return new Query(Criteria.where("createdAt").gt(Instant.EPOCH));
	}

	private void ageBacklog() {
		mongo.updateMulti(everyBacklogEntry(),
				new Update().set("createdAt", Instant.now().minus(TouchpointEventSweep.GRACE.multipliedBy(2))),
				PendingTouchpointEvents.class);
	}
}
