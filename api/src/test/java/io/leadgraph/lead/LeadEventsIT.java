package io.leadgraph.lead;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.graphql.execution.ErrorType;

import static io.leadgraph.lead.LeadLifecycleIT.MAP;
import static io.leadgraph.lead.LeadLifecycleIT.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** The event log as clients read it: every change an immutable event, gap-free per lead, in order. */
class LeadEventsIT extends IntegrationTest {

	@Test
	void everyChangeOfALeadIsAnEventWithAGapFreeSeq() {
		String id = createLead(Map.of("email", unique("events"), "title", "CTO", "company", Map.of("name", "Umbrella")));
		as("demo-marketing").documentName("updateLead").fragmentName("leadFields")
			.variable("input", Map.of("id", id, "title", "CEO", "company", Map.of("domain", "umbrella.example")))
			.executeAndVerify();
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", id, "to", "MQL", "reason", "Webinar"))
			.executeAndVerify();

		List<Event> events = events("demo-sales", Map.of("filter", Map.of("leadIds", List.of(id))));

		assertThat(events).extracting(Event::seq).containsExactly(1, 2, 3);
		assertThat(events).extracting(Event::type).containsExactly("LEAD_CREATED", "LEAD_UPDATED", "STAGE_CHANGED");
		assertThat(events).allSatisfy(event -> {
			assertThat(event.leadId()).isEqualTo(id);
			assertThat(event.actor()).isEqualTo("demo-marketing");
		});
		assertThat(events.get(0).payload()).containsEntry("title", "CTO").containsEntry("stage", "NEW")
			.containsEntry("company", Map.of("name", "Umbrella"));
		assertThat(events.get(1).payload().get("changes")).isEqualTo(List.of(
				Map.of("field", "title", "before", "CTO", "after", "CEO"),
				mapWithNull("company.domain", "umbrella.example")));
		assertThat(events.get(2).payload()).isEqualTo(Map.of("from", "NEW", "to", "MQL", "reason", "Webinar"));
		assertThat(new HashSet<>(events.stream().map(Event::eventId).toList())).hasSize(3);
	}

	@Test
	void aReaderResumesFromItsCursorAndMissesNothing() {
		String first = createLead(Map.of("email", unique("resume1")));
		List<Event> before = events("demo-admin", Map.of("filter", Map.of("leadIds", List.of(first))));
		String cursor = before.getLast().cursor();

		String second = createLead(Map.of("email", unique("resume2")));
		as("demo-sales").documentName("updateLead").fragmentName("leadFields").variable("input", Map.of("id", first, "title", "x")).executeAndVerify();

		List<Event> after = events("demo-admin",
				Map.of("after", cursor, "filter", Map.of("leadIds", List.of(first, second))));
		assertThat(after).extracting(event -> event.leadId() + "#" + event.seq())
			.containsExactly(second + "#1", first + "#2");
	}

	@Test
	void pagingThroughTheLogReturnsEachEventOnceInOrder() {
		List<String> leads = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			leads.add(createLead(Map.of("email", unique("paging" + i))));
		}
		List<Event> all = new ArrayList<>();
		String after = null;
		boolean more = true;
		while (more) {
			var variables = new java.util.HashMap<String, Object>();
			variables.put("filter", Map.of("leadIds", leads, "types", List.of("LEAD_CREATED")));
			variables.put("first", 2);
			variables.put("after", after);
			Page page = as("demo-marketing").documentName("leadEvents")
				.variables(variables)
				.execute()
				.path("leadEvents")
				.entity(Page.class)
				.get();
			page.edges().forEach(edge -> {
				assertThat(edge.cursor()).isEqualTo(edge.node().cursor());
				all.add(edge.node());
			});
			more = page.pageInfo().hasNextPage();
			after = page.pageInfo().endCursor();
		}
		assertThat(all).extracting(Event::leadId).containsExactlyElementsOf(leads);
	}

	@Test
	void pageSizeAndCursorAreChecked() {
		as("demo-marketing").documentName("leadEvents").variable("first", 101).execute().errors().satisfy(errors ->
				assertThat(errors).singleElement().satisfies(error -> {
					assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
					assertThat(error.getExtensions()).containsEntry("code", "MAX_PAGE_SIZE_EXCEEDED");
				}));
		as("demo-marketing").documentName("leadEvents").variable("first", 0).execute().errors().satisfy(errors ->
				assertThat(errors).singleElement()
					.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "OUT_OF_RANGE")));
		as("demo-marketing").documentName("leadEvents").variable("after", "bm9wZQ==").execute().errors().satisfy(
				errors -> assertThat(errors).singleElement()
					.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "INVALID_CURSOR")));
	}

	private String createLead(Map<String, Object> input) {
		return (String) as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.path("createLead.lead")
			.entity(MAP)
			.get()
			.get("id");
	}

	private List<Event> events(String client, Map<String, Object> variables) {
		return as(client).documentName("leadEvents")
			.variables(variables)
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(Event.class)
			.get();
	}

	private static Map<String, Object> mapWithNull(String field, Object after) {
		var map = new java.util.HashMap<String, Object>();
		map.put("field", field);
		map.put("before", null);
		map.put("after", after);
		return map;
	}

	record Event(String eventId, String cursor, String leadId, int seq, String type, String occurredAt, String actor,
			Map<String, Object> payload) {
	}

	record Page(List<Edge> edges, PageInfo pageInfo) {
	}

	record Edge(String cursor, Event node) {
	}

	record PageInfo(boolean hasNextPage, String endCursor) {
	}
}
