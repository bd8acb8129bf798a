package io.leadgraph.lead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.graphql.ResponseError;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** Leads and their lifecycle through the public GraphQL API. */
class LeadLifecycleIT extends IntegrationTest {

	static final String MARKETING = "demo-marketing";

	static final String SALES = "demo-sales";

	static final String ADMIN = "demo-admin";

	@Test
	void createsALeadWithNormalisedFieldsAndItsFirstHistoryEntry() {
		String email = unique("Jane.Doe");
		Map<String, Object> lead = create(MARKETING, Map.of("email", "  " + email.toUpperCase() + " ", "firstName",
				" Jane ", "lastName", "Doe", "company",
				Map.of("name", "Acme Inc", "domain", "https://www.ACME-corp.com/about", "country", "de", "employees",
						250),
				"attributes", Map.of("plan", "pro", "seats", 5, "trial", true)), "LeadCreated");

		assertThat(lead).containsEntry("email", email.toLowerCase()).containsEntry("firstName", "Jane")
			.containsEntry("stage", "NEW").containsEntry("source", "INBOUND").containsEntry("version", 0);
		assertThat(present(lead.get("company"))).isEqualTo(Map.of("name", "Acme Inc", "domain", "acme-corp.com", "employees",
				250, "country", "DE"));
		assertThat(lead.get("attributes")).isEqualTo(Map.of("plan", "pro", "seats", 5, "trial", true));
		assertThat(history(lead)).singleElement().satisfies(entry -> {
			assertThat(entry.get("from")).isNull();
			assertThat(entry).containsEntry("to", "NEW").containsEntry("actor", MARKETING);
		});
		assertThat(read(MARKETING, id(lead))).containsEntry("email", email.toLowerCase());
	}

	@Test
	void aSecondLeadWithTheSameEmailNamesTheExistingOne() {
		String email = unique("dup");
		String id = id(create(MARKETING, Map.of("email", email), "LeadCreated"));

		Map<String, Object> existing = create(SALES, Map.of("email", " " + email.toUpperCase()), "LeadAlreadyExists");

		assertThat(id(existing)).isEqualTo(id);
	}

	@Test
	void racingCreatesOfOneEmailMakeExactlyOneLead() throws Exception {
		String email = unique("race");
		int racers = 8;
		var start = new CountDownLatch(1);
		List<Callable<Map<String, Object>>> calls = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			calls.add(() -> {
				start.await();
				return as(MARKETING).documentName("createLead").fragmentName("leadFields")
					.variable("input", Map.of("email", email))
					.execute()
					.path("createLead")
					.entity(MAP)
					.get();
			});
		}
		List<Map<String, Object>> outcomes = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
			List<Future<Map<String, Object>>> futures = calls.stream().map(pool::submit).toList();
			start.countDown();
			for (Future<Map<String, Object>> future : futures) {
				outcomes.add(future.get());
			}
		}
		assertThat(outcomes).filteredOn(o -> o.get("__typename").equals("LeadCreated")).hasSize(1);
		assertThat(outcomes).filteredOn(o -> o.get("__typename").equals("LeadAlreadyExists")).hasSize(racers - 1);
		String winner = (String) ((Map<?, ?>) outcomes.stream()
			.filter(o -> o.get("__typename").equals("LeadCreated"))
			.findFirst()
			.orElseThrow()
			.get("lead")).get("id");
		assertThat(outcomes).filteredOn(o -> o.get("__typename").equals("LeadAlreadyExists"))
			.allSatisfy(o -> assertThat(((Map<?, ?>) o.get("existingLead")).get("id")).isEqualTo(winner));
	}

	@Test
	void invalidInputIsRefusedPerFieldAndNothingIsWritten() {
		String domain = UUID.randomUUID().toString().substring(0, 8) + "-invalid.com";
		Map<String, Object> input = new HashMap<>();
		input.put("email", "not-an-email");
		input.put("firstName", "x".repeat(101));
		input.put("phone", "call me maybe");
		input.put("company", Map.of("domain", "not a domain", "country", "XX", "employees", -1, "name", domain));
		input.put("attributes", Map.of("1bad", 1, "nested", Map.of("a", 1)));

		List<ResponseError> errors = new ArrayList<>();
		as(MARKETING).documentName("createLead").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.errors()
			.satisfy(errors::addAll);

		assertThat(errors).allSatisfy(error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST));
		assertThat(errors).extracting(error -> error.getExtensions().get("field") + "=" + error.getExtensions().get("code"))
			.containsExactlyInAnyOrder("input.email=INVALID_EMAIL", "input.firstName=TOO_LONG",
					"input.phone=INVALID_PHONE", "input.company.domain=INVALID_DOMAIN",
					"input.company.country=INVALID_COUNTRY", "input.company.employees=OUT_OF_RANGE",
					"input.attributes=INVALID_KEY", "input.attributes.nested=INVALID_VALUE");
		assertThat(errors).allSatisfy(error -> assertThat(error.getMessage()).doesNotContain("Exception", "io.leadgraph"));
		assertThat(page(MARKETING, Map.of("filter", Map.of("text", domain))).edges()).isEmpty();
	}

	@Test
	void anUnknownEnumValueIsAValidationErrorWithoutInternals() {
		as(MARKETING).documentName("createLead").fragmentName("leadFields")
			.variable("input", Map.of("email", unique("enum"), "source", "TELEPATHY"))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
				assertThat(error.getMessage()).contains("TELEPATHY").doesNotContain("Exception", "java.");
			}));
	}

	@Test
	void anUpdateChangesOnlyTheGivenFieldsAndNullClears() {
		Map<String, Object> lead = create(MARKETING, Map.of("email", unique("upd"), "firstName", "Ann", "title",
				"CTO", "phone", "+49 30 1234", "company", Map.of("name", "Initech", "country", "US"), "attributes",
				Map.of("a", 1, "b", "two")), "LeadCreated");
		Map<String, Object> input = new HashMap<>();
		input.put("id", id(lead));
		input.put("title", "VP Engineering");
		input.put("phone", null);
		input.put("company", Map.of("employees", 80));
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("a", null);
		attributes.put("c", false);
		input.put("attributes", attributes);

		Map<String, Object> updated = update(MARKETING, input, "LeadUpdated");

		Map<String, Object> after = lead(updated);
		assertThat(after).containsEntry("firstName", "Ann").containsEntry("title", "VP Engineering")
			.containsEntry("version", 1);
		assertThat(after.get("phone")).isNull();
		assertThat(present(after.get("company")))
			.isEqualTo(Map.of("name", "Initech", "country", "US", "employees", 80));
		assertThat(after.get("attributes")).isEqualTo(Map.of("b", "two", "c", false));
		assertThat(updated.get("changedFields")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactlyInAnyOrder("title", "phone", "company.employees", "attributes.a", "attributes.c");

		Map<String, Object> unchanged = update(MARKETING, Map.of("id", id(lead), "title", "VP Engineering"),
				"LeadUpdated");
		assertThat(unchanged.get("changedFields")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.isEmpty();
		assertThat(lead(unchanged)).containsEntry("version", 1);
	}

	@Test
	void numberAttributesKeepTheirValueWhateverTheirLiteral() {
		String email = unique("numbers");
		String id = as(MARKETING).document("mutation { createLead(input: {email: \"" + email
				+ "\", attributes: {seats: 5, ratio: 1.5, big: 12345678901, whole: 2.0}}) { ... on LeadCreated { lead { id attributes } } } }")
			.execute()
			.path("createLead.lead.attributes")
			.entity(MAP)
			.isEqualTo(Map.of("seats", 5, "ratio", 1.5, "big", 12345678901L, "whole", 2))
			.path("createLead.lead.id")
			.entity(String.class)
			.get();

		Map<String, Object> again = update(MARKETING,
				Map.of("id", id, "attributes", Map.of("seats", 5L, "ratio", 1.5, "big", 12345678901L, "whole", 2)),
				"LeadUpdated");
		assertThat(again.get("changedFields")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.isEmpty();

		as(MARKETING).documentName("updateLead").fragmentName("leadFields")
			.variable("input", Map.of("id", id, "attributes", List.of(1, 2)))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
				assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
				assertThat(error.getExtensions()).containsEntry("field", "input.attributes");
			}));
	}

	@Test
	void concurrentUpdatesWithoutAVersionAreAllApplied() throws Exception {
		String id = id(create(MARKETING, Map.of("email", unique("concurrent")), "LeadCreated"));
		int writers = 6;
		var start = new CountDownLatch(1);
		List<Future<String>> futures = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
			for (int i = 0; i < writers; i++) {
				String key = "k" + i;
				String client = i % 2 == 0 ? MARKETING : SALES;
				futures.add(pool.submit(() -> {
					start.await();
					return as(client).documentName("updateLead").fragmentName("leadFields")
						.variable("input", Map.of("id", id, "attributes", Map.of(key, true)))
						.execute()
						.path("updateLead.__typename")
						.entity(String.class)
						.get();
				}));
			}
			start.countDown();
		}
		for (Future<String> future : futures) {
			assertThat(future.get()).isEqualTo("LeadUpdated");
		}
		Map<String, Object> lead = read(MARKETING, id);
		assertThat(lead).containsEntry("version", writers);
		assertThat((Map<?, ?>) lead.get("attributes")).hasSize(writers);
	}

	@Test
	void anUpdateBasedOnAStaleVersionIsRefusedNotLost() {
		String id = id(create(MARKETING, Map.of("email", unique("stale"), "title", "first"), "LeadCreated"));
		update(SALES, Map.of("id", id, "expectedVersion", 0, "title", "second"), "LeadUpdated");

		Map<String, Object> conflict = update(MARKETING, Map.of("id", id, "expectedVersion", 0, "title", "third"),
				"LeadVersionConflict");

		assertThat(conflict).containsEntry("expectedVersion", 0);
		assertThat(lead(conflict)).containsEntry("title", "second").containsEntry("version", 1);
		assertThat(read(MARKETING, id)).containsEntry("title", "second");
	}

	@Test
	void changingTheEmailToATakenOneNamesTheOwnerOfIt() {
		String taken = unique("taken");
		String owner = id(create(MARKETING, Map.of("email", taken), "LeadCreated"));
		String other = id(create(MARKETING, Map.of("email", unique("other")), "LeadCreated"));

		Map<String, Object> outcome = update(MARKETING, Map.of("id", other, "email", taken.toUpperCase()),
				"LeadAlreadyExists");

		assertThat(id(outcome)).isEqualTo(owner);
	}

	@Test
	void updatingOrMovingAnUnknownLeadIsNotFound() {
		for (var call : List.of(
				as(MARKETING).documentName("updateLead").fragmentName("leadFields").variable("input", Map.of("id", "nope", "title", "x")),
				as(MARKETING).documentName("moveLeadStage").fragmentName("leadFields")
					.variable("input", Map.of("leadId", "nope", "to", "MQL")))) {
			call.execute()
				.errors()
				.satisfy(errors -> assertThat(errors).singleElement()
					.satisfies(error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.NOT_FOUND)));
		}
		as(MARKETING).documentName("lead").fragmentName("leadFields").variable("id", "nope").execute().path("lead").valueIsNull();
	}

	@Test
	void stagesMoveOnlyAlongTheLifecycleAndOnlyByTheTeamThatOwnsTheMove() {
		String id = id(create(MARKETING, Map.of("email", unique("funnel")), "LeadCreated"));

		Map<String, Object> illegal = move(MARKETING, id, "CUSTOMER", null, "StageTransitionRefused");
		assertThat(illegal).containsEntry("reason", "ILLEGAL_TRANSITION").containsEntry("current", "NEW")
			.containsEntry("allowed", List.of("MQL", "DISQUALIFIED"));
		assertThat(move(SALES, id, "MQL", null, "StageTransitionRefused"))
			.containsEntry("reason", "NOT_PERMITTED_FOR_ROLE").containsEntry("allowed", List.of());

		move(MARKETING, id, "MQL", "Score 72", "StageMoved");
		assertThat(move(MARKETING, id, "SQL", null, "StageTransitionRefused"))
			.containsEntry("reason", "NOT_PERMITTED_FOR_ROLE")
			.containsEntry("allowed", List.of("RECYCLED", "DISQUALIFIED"));
		assertThat(move(MARKETING, id, "MQL", null, "StageTransitionRefused")).containsEntry("reason",
				"ALREADY_IN_STAGE");
		assertThat(move(SALES, id, "RECYCLED", null, "StageTransitionRefused")).containsEntry("reason",
				"REASON_REQUIRED");

		Map<String, Object> accepted = move(SALES, id, "SQL", "Discovery call done", "StageMoved");
		assertThat(accepted.get("transition")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("from", "MQL").containsEntry("to", "SQL").containsEntry("actor", SALES);
		move(SALES, id, "OPPORTUNITY", null, "StageMoved");
		move(ADMIN, id, "CUSTOMER", "Signed", "StageMoved");

		Map<String, Object> lead = read(SALES, id);
		assertThat(lead).containsEntry("stage", "CUSTOMER");
		assertThat(history(lead)).extracting(entry -> entry.get("from") + ">" + entry.get("to") + " by "
				+ entry.get("actor") + ": " + entry.get("reason"))
			.containsExactly("null>NEW by demo-marketing: null", "NEW>MQL by demo-marketing: Score 72",
					"MQL>SQL by demo-sales: Discovery call done", "SQL>OPPORTUNITY by demo-sales: null",
					"OPPORTUNITY>CUSTOMER by demo-admin: Signed");
		assertThat(move(ADMIN, id, "RECYCLED", "x", "StageTransitionRefused"))
			.containsEntry("reason", "ILLEGAL_TRANSITION").containsEntry("allowed", List.of());
	}

	@Test
	void aMoveBasedOnAStaleVersionIsRefused() {
		String id = id(create(MARKETING, Map.of("email", unique("stalemove")), "LeadCreated"));
		update(MARKETING, Map.of("id", id, "title", "changed"), "LeadUpdated");

		Map<String, Object> refused = as(MARKETING).documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", id, "to", "MQL", "expectedVersion", 0))
			.execute()
			.path("moveLeadStage")
			.entity(MAP)
			.get();

		assertThat(refused).containsEntry("__typename", "StageTransitionRefused")
			.containsEntry("reason", "STALE_VERSION");
		assertThat(read(MARKETING, id)).containsEntry("stage", "NEW");
	}

	@Test
	void racingMovesRecordOneTransition() throws Exception {
		String id = id(create(MARKETING, Map.of("email", unique("racemove")), "LeadCreated"));
		int racers = 6;
		var start = new CountDownLatch(1);
		List<Future<String>> futures = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
			for (int i = 0; i < racers; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return as(MARKETING).documentName("moveLeadStage").fragmentName("leadFields")
						.variable("input", Map.of("leadId", id, "to", "MQL"))
						.execute()
						.path("moveLeadStage.__typename")
						.entity(String.class)
						.get();
				}));
			}
			start.countDown();
		}
		List<String> outcomes = new ArrayList<>();
		for (Future<String> future : futures) {
			outcomes.add(future.get());
		}
		assertThat(outcomes).filteredOn("StageMoved"::equals).hasSize(1);
		assertThat(history(read(MARKETING, id))).hasSize(2);
	}

	// --- helpers

	static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> MAP = new org.springframework.core.ParameterizedTypeReference<>() {
	};

	static String unique(String prefix) {
		return prefix + "." + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
	}

	Map<String, Object> create(String client, Map<String, Object> input, String expectedType) {
		Map<String, Object> payload = as(client).documentName("createLead").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.path("createLead")
			.entity(MAP)
			.get();
		assertThat(payload).containsEntry("__typename", expectedType);
		return lead(payload);
	}

	Map<String, Object> update(String client, Map<String, Object> input, String expectedType) {
		Map<String, Object> payload = as(client).documentName("updateLead").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.path("updateLead")
			.entity(MAP)
			.get();
		assertThat(payload).containsEntry("__typename", expectedType);
		return payload;
	}

	Map<String, Object> move(String client, String id, String to, String reason, String expectedType) {
		Map<String, Object> input = new HashMap<>();
		input.put("leadId", id);
		input.put("to", to);
		input.put("reason", reason);
		Map<String, Object> payload = as(client).documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", input)
			.execute()
			.path("moveLeadStage")
			.entity(MAP)
			.get();
		assertThat(payload).containsEntry("__typename", expectedType);
		return payload;
	}

	Map<String, Object> read(String client, String id) {
		return as(client).documentName("lead").fragmentName("leadFields").variable("id", id).execute().path("lead").entity(MAP).get();
	}

	LeadPage page(String client, Map<String, Object> variables) {
		GraphQlTester.Request<?> request = as(client).documentName("leads");
		for (var variable : variables.entrySet()) {
			request = request.variable(variable.getKey(), variable.getValue());
		}
		return request.execute().path("leads").entity(LeadPage.class).get();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> lead(Map<String, Object> payload) {
		for (String key : List.of("lead", "existingLead")) {
			if (payload.get(key) instanceof Map<?, ?> lead) {
				return (Map<String, Object>) lead;
			}
		}
		return payload;
	}

	/** The entries of a map that are not null. */
	static Map<?, ?> present(Object map) {
		Map<Object, Object> present = new HashMap<>();
		((Map<?, ?>) map).forEach((key, value) -> {
			if (value != null) {
				present.put(key, value);
			}
		});
		return present;
	}

	static String id(Map<String, Object> leadOrPayload) {
		return (String) lead(leadOrPayload).get("id");
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> history(Map<String, Object> lead) {
		return (List<Map<String, Object>>) lead.get("stageHistory");
	}

	record LeadPage(List<Edge> edges, PageInfo pageInfo) {

		List<String> emails() {
			return edges.stream().map(edge -> (String) edge.node().get("email")).toList();
		}
	}

	record Edge(String cursor, Map<String, Object> node) {
	}

	record PageInfo(boolean hasPreviousPage, boolean hasNextPage, String startCursor, String endCursor) {
	}
}
