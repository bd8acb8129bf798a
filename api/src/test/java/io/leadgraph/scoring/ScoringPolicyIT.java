package io.leadgraph.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.IntegrationTest;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.execution.ErrorType;

import static io.leadgraph.scoring.Policies.compare;
import static io.leadgraph.scoring.Policies.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saving, reading, validating and round-tripping scoring policies through the GraphQL API. */
class ScoringPolicyIT extends IntegrationTest {

	static final String MARKETING = "demo-marketing";

	@Test
	void savesANewPolicyAsDraftVersionOneAndReplacesTheDraftOnTheNextSave() {
		Map<String, Object> first = save(MARKETING, null, Policies.standard("Inbound"));
		String id = (String) first.get("id");

		assertThat(first).containsEntry("version", 1).containsEntry("status", "DRAFT").containsEntry("name", "Inbound")
			.containsEntry("author", MARKETING).containsEntry("halfLifeDays", 30.0);
		assertThat(first.get("activatedAt")).isNull();
		assertThat(rules(first, "engagementRules")).extracting(rule -> rule.get("decays"))
			.containsExactly(true, true, false);

		Map<String, Object> changed = Policies.standard("Inbound, tuned");
		Map<String, Object> second = save("demo-admin", id, changed);

		assertThat(second).containsEntry("id", id).containsEntry("version", 1).containsEntry("name", "Inbound, tuned")
			.containsEntry("author", "demo-admin");
		assertThat(policies(MARKETING, id)).singleElement().satisfies(only -> assertThat(only).containsEntry("name", "Inbound, tuned"));
	}

	@Test
	void aChosenIdStartsAPolicyWithThatId() {
		String id = "inbound-" + UUID.randomUUID().toString().substring(0, 8);

		assertThat(save(MARKETING, id, Policies.standard("Chosen"))).containsEntry("id", id).containsEntry("version", 1);
		assertThat(as(MARKETING).documentName("scoringPolicies").operationName("scoringPolicy")
			.fragmentName("scoringPolicyFields")
			.variable("id", id)
			.execute()
			.path("scoringPolicy.name")
			.entity(String.class)
			.get()).isEqualTo("Chosen");
	}

	@Test
	void reportsEveryProblemWithTheFieldPathAndSavesNothing() {
		Map<String, Object> policy = Policies.standard("");
		List<Object> fit = new ArrayList<>((List<?>) policy.get("fitRules"));
		fit.add(rule("vp", compare("title", "GT", 3), 0));
		fit.add(rule("nested", Map.of("all", List.of(compare("company.employees", "GTE", "many"),
				Map.of("any", List.of(compare("type", "EQ", "DEMO_REQUEST"))))), 5));
		policy.put("fitRules", fit);
		List<Object> engagement = new ArrayList<>((List<?>) policy.get("engagementRules"));
		engagement.add(rule("bad-type", compare("type", "EQ", "TELEPATHY"), 5));
		engagement.add(rule("two-forms", Map.of("field", "type", "op", "EQ", "value", "CALL", "not",
				compare("channel", "EQ", "PHONE")), 5));
		engagement.add(Policies.capped(rule("capped", compare("properties.plan", "EXISTS", true), 5), "maxPerDay", 0));
		policy.put("engagementRules", engagement);
		policy.put("grades", Map.of("a", 5, "b", 15, "c", 25));
		policy.put("mqlThreshold", Map.of());
		String id = "invalid-" + UUID.randomUUID().toString().substring(0, 8);

		List<ResponseError> errors = saveErrors(id, policy);

		assertThat(errors).allSatisfy(error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST));
		assertThat(errors).extracting(error -> error.getExtensions().get("field") + " " + error.getExtensions().get("code"))
			.containsExactlyInAnyOrder("input.policy.name REQUIRED", "input.policy.fitRules[5].id DUPLICATE_ID",
					"input.policy.fitRules[5].points OUT_OF_RANGE", "input.policy.fitRules[5].when.op INVALID_VALUE",
					"input.policy.fitRules[6].when.all[0].value INVALID_VALUE",
					"input.policy.fitRules[6].when.all[1].any[0].field UNKNOWN_FIELD",
					"input.policy.engagementRules[3].when.value INVALID_VALUE",
					"input.policy.engagementRules[4].when INVALID_CONDITION",
					"input.policy.engagementRules[5].maxPerDay OUT_OF_RANGE", "input.policy.mqlThreshold REQUIRED",
					"input.policy.grades INVALID_ORDER");
		assertThat(errors).allSatisfy(error -> assertThat(error.getMessage()).doesNotContain("Exception", "java.", "io.leadgraph"));
		assertThat(policies(MARKETING, id)).isEmpty();
	}

	@Test
	void enumValuesAreNormalisedAndTheYamlExportImportsToTheSameDocument() {
		Map<String, Object> policy = Policies.standard("Round trip");
		policy.put("engagementRules", List.of(rule("webinar", Map.of("all", List.of(compare("type", "EQ", "webinar"),
				Map.of("not", compare("campaign.id", "IN", List.of("internal", "test"))),
				compare("properties.minutes", "GTE", 30))), 20)));
		Map<String, Object> saved = save(MARKETING, null, policy);
		String yaml = (String) saved.get("yaml");

		assertThat(yaml).contains("name: Round trip", "value: WEBINAR").doesNotContain("null");

		Map<String, Object> imported = as(MARKETING).documentName("importScoringPolicy")
			.fragmentName("scoringPolicyFields")
			.variable("input", Map.of("yaml", yaml))
			.execute()
			.path("importScoringPolicy.policy")
			.entity(MAP)
			.get();

		assertThat(imported.get("id")).isNotEqualTo(saved.get("id"));
		assertThat(content(imported)).isEqualTo(content(saved));
		assertThat(imported.get("yaml")).isEqualTo(yaml);
	}

	@Test
	void yamlProblemsNameTheYamlPathOrTheLine() {
		List<ResponseError> syntax = importErrors("name: 'unclosed\nfitRules: [");
		assertThat(syntax).singleElement().satisfies(error -> {
			assertThat(error.getExtensions()).containsEntry("field", "yaml").containsEntry("code", "INVALID_YAML");
			assertThat(error.getMessage()).contains("line");
		});

		List<ResponseError> unknown = importErrors("""
				name: X
				fitRules:
				  - id: a
				    when: {field: title, op: EQ, value: CEO}
				    points: 5
				    bonus: 3
				engagementRules: []
				mqlThreshold: {total: 10}
				grades: {a: 3, b: 2, c: 1}
				""");
		assertThat(unknown).singleElement().satisfies(error -> assertThat(error.getExtensions())
			.containsEntry("field", "yaml.fitRules[0].bonus").containsEntry("code", "INVALID_VALUE"));

		List<ResponseError> invalid = importErrors("""
				name: X
				fitRules:
				  - id: a
				    when: {field: salary, op: GT, value: 5}
				    points: 5
				engagementRules: []
				mqlThreshold: {total: 10}
				grades: {a: 3, b: 2, c: 1}
				""");
		assertThat(invalid).singleElement().satisfies(error -> assertThat(error.getExtensions())
			.containsEntry("field", "yaml.fitRules[0].when.field").containsEntry("code", "UNKNOWN_FIELD"));
	}

	@Test
	void onlyMarketingAndAdminWorkWithPolicies() {
		for (String client : List.of("demo-sales", "demo-automation", "demo-partner")) {
			as(client).documentName("saveScoringPolicy")
				.fragmentName("scoringPolicyFields")
				.variable("input", Map.of("policy", Policies.standard("Nope")))
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
			as(client).documentName("scoringPolicies")
				.operationName("scoringPolicies")
				.fragmentName("scoringPolicyFields")
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
		}
	}

	@Test
	void onlyMarketingAndAdminImportSimulateOrFollowJobs() {
		List<String> operations = List.of(
				"mutation { importScoringPolicy(input: {yaml: \"name: x\"}) { policy { id } } }",
				"mutation { simulateScoringPolicy(input: {draft: {id: \"x\"}}) { leadsEvaluated } }",
				"mutation { activateScoringPolicy(input: {id: \"x\", version: 1}) { __typename } }",
				"{ scoringJobs { id } }", "{ scoringJob(id: \"x\") { id } }", "{ scoringPolicy(id: \"x\") { id } }");
		for (String client : List.of("demo-sales", "demo-automation", "demo-partner")) {
			for (String operation : operations) {
				as(client).document(operation)
					.execute()
					.errors()
					.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
					.verify();
			}
		}
	}

	@Test
	void onlyMarketingAndAdminFollowAScoringJob() {
		for (String client : List.of("demo-sales", "demo-automation", "demo-partner")) {
			var socket = GraphQlSockets.socket(port, token(client));
			var job = socket.document("subscription { scoringJob(id: \"x\") { id } }").executeSubscription().toFlux();
			assertThatThrownBy(() -> job.blockFirst(Duration.ofSeconds(10)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class,
						refused -> assertThat(refused.getErrors()).extracting(error -> error.getErrorType().toString())
							.containsExactly("FORBIDDEN"));
			socket.stop().block(Duration.ofSeconds(5));
		}
	}

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	Map<String, Object> save(String client, String id, Map<String, Object> policy) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("id", id);
		input.put("policy", policy);
		return as(client).documentName("saveScoringPolicy")
			.fragmentName("scoringPolicyFields")
			.variable("input", input)
			.execute()
			.path("saveScoringPolicy.policy")
			.entity(MAP)
			.get();
	}

	private List<ResponseError> saveErrors(String id, Map<String, Object> policy) {
		List<ResponseError> errors = new ArrayList<>();
		as(MARKETING).documentName("saveScoringPolicy")
			.fragmentName("scoringPolicyFields")
			.variable("input", Map.of("id", id, "policy", policy))
			.execute()
			.errors()
			.satisfy(errors::addAll);
		return errors;
	}

	private List<ResponseError> importErrors(String yaml) {
		List<ResponseError> errors = new ArrayList<>();
		as(MARKETING).documentName("importScoringPolicy")
			.fragmentName("scoringPolicyFields")
			.variable("input", Map.of("yaml", yaml))
			.execute()
			.errors()
			.satisfy(errors::addAll);
		return errors;
	}

	List<Map<String, Object>> policies(String client, String id) {
		return as(client).documentName("scoringPolicies")
			.operationName("scoringPolicies")
			.fragmentName("scoringPolicyFields")
			.variable("id", id)
			.execute()
			.path("scoringPolicies")
			.entityList(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rules(Map<String, Object> policy, String kind) {
		return (List<Map<String, Object>>) policy.get(kind);
	}

	private static Map<String, Object> content(Map<String, Object> policy) {
		Map<String, Object> content = new LinkedHashMap<>(policy);
		List.of("id", "version", "status", "author", "createdAt", "updatedAt", "activatedAt").forEach(content::remove);
		return content;
	}

}
