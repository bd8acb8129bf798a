package io.leadgraph.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadgraph.lead.LeadLifecycleIT.LeadPage;
import io.leadgraph.support.IntegrationTest;

import org.springframework.graphql.execution.ErrorType;

import static io.leadgraph.lead.LeadLifecycleIT.MAP;
import static org.assertj.core.api.Assertions.assertThat;

/** Filtering, sorting and Relay paging of {@code leads}. */
class LeadSearchIT extends IntegrationTest {

	private String domain;

	private final List<String> created = new ArrayList<>();

	@BeforeEach
	void sevenLeadsAtOneCompany() {
		domain = "search-" + UUID.randomUUID().toString().substring(0, 8) + ".com";
		for (int i = 0; i < 7; i++) {
			Map<String, Object> input = Map.of("email", "person" + i + "@" + domain, "firstName", "Person" + i,
					"lastName", i % 2 == 0 ? "Even" : "Odd", "source", i < 5 ? "INBOUND" : "EVENT", "company",
					Map.of("name", "Search Labs " + domain, "domain", "www." + domain, "country", i < 3 ? "FR" : "IT"),
					"owner", Map.of("id", i < 2 ? "rep-" + domain : "rep-other", "name", "Rep"));
			created.add((String) ((Map<?, ?>) as("demo-marketing").documentName("createLead").fragmentName("leadFields")
				.variable("input", input)
				.execute()
				.path("createLead.lead")
				.entity(MAP)
				.get()).get("email"));
		}
	}

	@Test
	void pagesForwardNewestFirstWithoutGapsOrRepeats() {
		List<String> seen = new ArrayList<>();
		String after = null;
		int pages = 0;
		boolean more = true;
		while (more) {
			var variables = new java.util.HashMap<String, Object>();
			variables.put("filter", Map.of("domain", domain));
			variables.put("first", 3);
			variables.put("after", after);
			LeadPage page = page(variables);
			seen.addAll(page.emails());
			more = page.pageInfo().hasNextPage();
			after = page.pageInfo().endCursor();
			pages++;
		}
		List<String> newestFirst = new ArrayList<>(created);
		Collections.reverse(newestFirst);
		assertThat(pages).isEqualTo(3);
		assertThat(seen).containsExactlyElementsOf(newestFirst);
	}

	@Test
	void pagesBackwardWithLastAndBefore() {
		LeadPage all = page(Map.of("filter", Map.of("domain", domain), "orderBy",
				Map.of("field", "CREATED_AT", "direction", "ASC")));
		assertThat(all.emails()).containsExactlyElementsOf(created);

		LeadPage lastTwo = page(Map.of("filter", Map.of("domain", domain), "orderBy",
				Map.of("field", "CREATED_AT", "direction", "ASC"), "last", 2));
		assertThat(lastTwo.emails()).containsExactlyElementsOf(created.subList(5, 7));

		LeadPage before = page(Map.of("filter", Map.of("domain", domain), "orderBy",
				Map.of("field", "CREATED_AT", "direction", "ASC"), "last", 3, "before",
				lastTwo.pageInfo().startCursor()));
		assertThat(before.emails()).containsExactlyElementsOf(created.subList(2, 5));
	}

	@Test
	void filtersCombine() {
		assertThat(page(Map.of("filter", Map.of("domain", domain.toUpperCase(), "country", "fr"))).emails())
			.hasSize(3);
		assertThat(page(Map.of("filter", Map.of("domain", domain, "sources", List.of("EVENT")))).emails())
			.containsExactlyInAnyOrder(created.get(5), created.get(6));
		assertThat(page(Map.of("filter", Map.of("ownerIds", List.of("rep-" + domain)))).emails())
			.containsExactlyInAnyOrder(created.get(0), created.get(1));
		assertThat(page(Map.of("filter", Map.of("domain", domain, "stages", List.of("MQL")))).emails()).isEmpty();
		assertThat(page(Map.of("filter", Map.of("domain", domain, "createdAfter", Instant.now().plusSeconds(60).toString())))
			.emails()).isEmpty();
		assertThat(page(Map.of("filter", Map.of("domain", domain, "createdBefore", Instant.now().plusSeconds(60).toString())))
			.emails()).hasSize(7);
	}

	@Test
	void textMatchesWordsOfNameEmailAndCompany() {
		String label = domain.substring(0, domain.indexOf('.'));
		assertThat(page(Map.of("filter", Map.of("text", "odd " + label))).emails())
			.containsExactlyInAnyOrder(created.get(1), created.get(3), created.get(5));
		assertThat(page(Map.of("filter", Map.of("text", "person4@" + label))).emails())
			.containsExactly(created.get(4));
		assertThat(page(Map.of("filter", Map.of("text", "SEARCH LABS " + label.toUpperCase(), "country", "IT")))
			.emails()).hasSize(4);
	}

	@Test
	void badPagingArgumentsAreTypedErrors() {
		String eventCursor = as("demo-admin").document("{ leadEvents(first: 1) { edges { cursor } } }")
			.execute()
			.path("leadEvents.edges[0].cursor")
			.entity(String.class)
			.get();
		for (var variables : List.<Map<String, Object>>of(Map.of("first", 101), Map.of("after", "garbage"),
				Map.of("first", 0), Map.of("after", eventCursor), Map.of("first", 2, "before", eventCursor),
				Map.of("after", java.util.Base64.getEncoder().encodeToString("v1&x=q:1".getBytes())),
				Map.of("first", 2, "last", 2))) {
			var request = as("demo-sales").documentName("leads");
			for (var variable : variables.entrySet()) {
				request = request.variable(variable.getKey(), variable.getValue());
			}
			request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty().allSatisfy(error -> {
				assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
				assertThat(error.getExtensions().get("code")).isIn("OUT_OF_RANGE", "INVALID_CURSOR",
						"CONFLICTING_ARGUMENTS", "MAX_PAGE_SIZE_EXCEEDED");
			}));
		}
	}

	private LeadPage page(Map<String, Object> variables) {
		var request = as("demo-sales").documentName("leads");
		for (var variable : variables.entrySet()) {
			request = request.variable(variable.getKey(), variable.getValue());
		}
		return request.execute().path("leads").entity(LeadPage.class).get();
	}
}
