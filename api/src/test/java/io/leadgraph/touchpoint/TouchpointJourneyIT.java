package io.leadgraph.touchpoint;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import static io.leadgraph.touchpoint.TouchpointIngestionIT.MAP;
import static io.leadgraph.touchpoint.TouchpointIngestionIT.touch;
import static io.leadgraph.touchpoint.TouchpointIngestionIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reading a lead's journey: touchpoints newest first, engagement, and batch loading for lists. */
class TouchpointJourneyIT extends IntegrationTest {

	@Autowired
	MongoTemplate mongo;

	@Autowired
	TouchpointEventRecorder recorder;

	@Test
	void touchpointsPageNewestFirstAndFilter() {
		String email = unique("journey");
		String run = UUID.randomUUID().toString();
		Instant base = Instant.now().minus(2, ChronoUnit.DAYS);
		List<Map<String, Object>> batch = new ArrayList<>();
		String[] types = { "FORM_SUBMIT", "PAGE_VIEW", "EMAIL_OPEN", "PAGE_VIEW", "CALL" };
		for (int i = 0; i < types.length; i++) {
			batch.add(touch(run + "-" + i, types[i], email, Map.of("occurredAt", base.plusSeconds(i * 60L).toString(),
					"campaign", Map.of("id", i % 2 == 0 ? "even" : "odd"))));
		}
		String leadId = (String) record(batch).get(0).get("leadId");

		Journey firstPage = journey(leadId, Map.of("first", 2));
		assertThat(firstPage.externalIds()).containsExactly(run + "-4", run + "-3");
		assertThat(firstPage.hasNextPage()).isTrue();
		Journey rest = journey(leadId, Map.of("first", 5, "after", firstPage.endCursor()));
		assertThat(rest.externalIds()).containsExactly(run + "-2", run + "-1", run + "-0");
		assertThat(rest.hasNextPage()).isFalse();

		assertThat(journey(leadId, Map.of("filter", Map.of("types", List.of("PAGE_VIEW")))).externalIds())
			.containsExactly(run + "-3", run + "-1");
		assertThat(journey(leadId, Map.of("filter", Map.of("direction", "OUTBOUND"))).externalIds())
			.containsExactly(run + "-4");
		assertThat(journey(leadId, Map.of("filter", Map.of("campaignId", "odd"))).externalIds())
			.containsExactly(run + "-3", run + "-1");
		Document stored = mongo.findOne(Query.query(Criteria.where("key").is(Touchpoint.key("it", run + "-1"))),
				Document.class, "touchpoints");
		assertThat(stored.get("campaign")).as("stored as BI tools and ad-hoc queries expect it")
			.isEqualTo(new Document("id", "odd"));

		Map<String, Object> engagement = journey(leadId, Map.of()).engagement();
		assertThat(engagement).containsEntry("touchpointCount", 5).containsEntry("inboundCount", 4)
			.containsEntry("outboundCount", 1).containsEntry("campaignCount", 2)
			.containsEntry("firstTouchAt", base.truncatedTo(ChronoUnit.MILLIS).toString())
			.containsEntry("warmth", "HOT");
		assertThat(engagement.get("byType")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.first()
			.isEqualTo(Map.of("type", "PAGE_VIEW", "count", 2));
	}

	@Test
	void warmthFollowsRecencyAndIntent() {
		assertThat(warmthAfter("PAGE_VIEW", 3)).isEqualTo("WARM");
		assertThat(warmthAfter("DEMO_REQUEST", 3)).isEqualTo("HOT");
		assertThat(warmthAfter("DEMO_REQUEST", 20)).isEqualTo("WARM");
		assertThat(warmthAfter("FORM_SUBMIT", 45)).isEqualTo("COLD");
	}

	@Test
	void aPageOf100LeadsWithTheirTouchpointsCostsAConstantNumberOfReads() {
		String run = UUID.randomUUID().toString();
		String domain = "batch-" + run.substring(0, 8) + ".example";
		List<Map<String, Object>> captures = new ArrayList<>();
		List<Map<String, Object>> more = new ArrayList<>();
		for (int lead = 0; lead < 100; lead++) {
			String email = "person" + lead + "@" + domain;
			captures.add(touch(run + "-c" + lead, "FORM_SUBMIT", email, Map.of()));
			for (int i = 0; i < 6; i++) {
				more.add(touch(run + "-" + lead + "-" + i, "PAGE_VIEW", email, Map.of()));
			}
		}
		record(captures);
		for (int from = 0; from < more.size(); from += 500) {
			record(more.subList(from, Math.min(more.size(), from + 500)));
		}
		await().atMost(java.time.Duration.ofSeconds(30)).until(recorder::idle);
		queryShapes.drainReadCount();

		List<Map<String, Object>> leads = as("demo-sales").document("""
				query($domain: String) {
				  leads(first: 100, filter: {domain: $domain}) {
				    edges { node { id touchpoints(first: 5) { edges { node { id } } pageInfo { hasNextPage } }
				                   engagement { touchpointCount warmth } } }
				  }
				}""").variable("domain", domain).execute().path("leads.edges[*].node").entityList(MAP).get();

		int reads = queryShapes.drainReadCount("leads", "touchpoints");
		assertThat(leads).hasSize(100).allSatisfy(lead -> {
			assertThat(lead).extractingByKey("touchpoints")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.extractingByKey("edges")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.hasSize(5);
			assertThat(lead).extractingByKey("engagement")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("touchpointCount", 7);
		});
		assertThat(reads).as("find/getMore/aggregate commands for the page").isLessThanOrEqualTo(4);
	}

	private String warmthAfter(String type, int daysAgo) {
		String email = unique("warmth");
		String leadId = (String) record(List.of(touch(UUID.randomUUID().toString(), type, email,
				Map.of("occurredAt", Instant.now().minus(daysAgo, ChronoUnit.DAYS).toString(), "contact",
						Map.of("firstName", "W")))))
			.get(0)
			.get("leadId");
		if (leadId == null) {
			// PAGE_VIEW does not capture: create the lead with a cold form fill first
			leadId = (String) record(List.of(touch(UUID.randomUUID().toString(), "FORM_SUBMIT", email,
					Map.of("occurredAt", Instant.now().minus(90, ChronoUnit.DAYS).toString())))).get(0).get("leadId");
			record(List.of(touch(UUID.randomUUID().toString(), type, email,
					Map.of("occurredAt", Instant.now().minus(daysAgo, ChronoUnit.DAYS).toString()))));
		}
		return (String) journey(leadId, Map.of()).engagement().get("warmth");
	}

	private List<Map<String, Object>> record(List<Map<String, Object>> touchpoints) {
		return as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", touchpoints))
			.execute()
			.path("recordTouchpoints.results")
			.entityList(MAP)
			.get();
	}

	private Journey journey(String leadId, Map<String, Object> variables) {
		var request = as("demo-marketing").documentName("leadJourney").variable("id", leadId);
		for (var variable : variables.entrySet()) {
			request = request.variable(variable.getKey(), variable.getValue());
		}
		return request.execute().path("lead").entity(Journey.class).get();
	}

	record Journey(Connection touchpoints, Map<String, Object> engagement) {

		List<String> externalIds() {
			return touchpoints.edges().stream().map(edge -> (String) edge.node().get("externalId")).toList();
		}

		boolean hasNextPage() {
			return (boolean) touchpoints.pageInfo().get("hasNextPage");
		}

		String endCursor() {
			return (String) touchpoints.pageInfo().get("endCursor");
		}
	}

	record Connection(List<Edge> edges, Map<String, Object> pageInfo) {
	}

	record Edge(String cursor, Map<String, Object> node) {
	}
}
