package io.leadgraph.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency-Key on mutations over HTTP, with real tokens. */
class IdempotencyKeysIT extends IntegrationTest {

	static final String CREATE = """
			mutation($input: CreateLeadInput!) { createLead(input: $input) {
			  __typename ... on LeadCreated { lead { id email createdAt } } ... on LeadAlreadyExists { existingLead { id } } } }""";

	@Autowired
	MongoTemplate mongo;

	@Autowired
	IdempotencyKeys keys;

	@Autowired
	IdempotencyKeyPurge purge;

	@Test
	void aReplayGetsTheFirstResponseUnchangedAndRunsNothing() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> variables = Map.of("input", Map.of("email", "idem-" + key + "@example.com"));

		ResponseEntity<String> first = post("demo-marketing", key, CREATE, variables);
		ResponseEntity<String> replay = post("demo-marketing", key, CREATE, variables);

		assertThat(first.getStatusCode().value()).isEqualTo(200);
		assertThat(first.getBody()).contains("LeadCreated");
		assertThat(replay.getBody()).as("byte for byte, not LeadAlreadyExists").isEqualTo(first.getBody());
		assertThat(replay.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(first.getHeaders().getFirst("Idempotent-Replayed")).isNull();
		IdempotentRequest stored = mongo.findById("demo-marketing\u001f" + key, IdempotentRequest.class);
		assertThat(stored.expiresAt()).isAfterOrEqualTo(Instant.now().plus(Duration.ofHours(24)).minusSeconds(60));
	}

	@Test
	void theKeyWithAnotherRequestIs422AndKeysArePerClient() {
		String key = UUID.randomUUID().toString();
		post("demo-marketing", key, CREATE, Map.of("input", Map.of("email", "a-" + key + "@example.com")));

		ResponseEntity<String> other = post("demo-marketing", key, CREATE,
				Map.of("input", Map.of("email", "b-" + key + "@example.com")));
		assertThat(other.getStatusCode().value()).isEqualTo(422);
		assertThat(other.getBody()).contains("IDEMPOTENCY_KEY_REUSED").doesNotContain("\"data\"");

		ResponseEntity<String> anotherClient = post("demo-admin", key, CREATE,
				Map.of("input", Map.of("email", "b-" + key + "@example.com")));
		assertThat(anotherClient.getStatusCode().value()).isEqualTo(200);
		assertThat(anotherClient.getBody()).contains("LeadCreated");
	}

	@Test
	void aReplayWhileTheFirstRunsIs409() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> variables = Map.of("input", Map.of("email", "c-" + key + "@example.com"));
		Instant now = Instant.now();
		mongo.insert(new IdempotentRequest("demo-marketing\u001f" + key, keys.fingerprint(CREATE, null, variables),
				IdempotentRequest.State.RUNNING, null, "another-request", now, now.plus(Duration.ofHours(24))));

		ResponseEntity<String> replay = post("demo-marketing", key, CREATE, variables);

		assertThat(replay.getStatusCode().value()).isEqualTo(409);
		assertThat(replay.getBody()).contains("IDEMPOTENCY_KEY_IN_USE").doesNotContain("\"data\"");
	}

	@Test
	void errorsOfARequestThatRanAreReplayedAndARefusalLeavesTheKeyFree() {
		String key = UUID.randomUUID().toString();
		String move = "mutation($id: ID!) { moveLeadStage(input: {leadId: $id, to: MQL}) { __typename } }";
		Map<String, Object> missing = Map.of("id", "6b0000000000000000000000");
		ResponseEntity<String> failed = post("demo-marketing", key, move, missing);
		assertThat(failed.getBody()).contains("errors").contains("\"data\"");
		assertThat(post("demo-marketing", key, move, missing).getBody()).isEqualTo(failed.getBody());

		String refusedKey = UUID.randomUUID().toString();
		ResponseEntity<String> refused = post("demo-marketing", refusedKey, "mutation { createLead(input: {email: 1}) { __typename } }",
				Map.of());
		assertThat(refused.getBody()).doesNotContain("\"data\"");
		assertThat(post("demo-marketing", refusedKey, CREATE,
				Map.of("input", Map.of("email", "d-" + refusedKey + "@example.com"))).getBody())
			.as("nothing ran under the key, so it is free").contains("LeadCreated");
	}

	@Test
	void anEmptyOperationNameIsTheFirstOperationAsGraphQlJavaRunsIt() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> variables = Map.of("input", Map.of("email", "e-" + key + "@example.com"));
		ResponseEntity<String> first = RawPosts.exchange(port, token("demo-marketing"),
				Map.of("query", CREATE, "operationName", "", "variables", variables),
				headers -> headers.set("Idempotency-Key", key), new ParameterizedTypeReference<String>() {
				});
		assertThat(mongo.findById("demo-marketing\u001f" + key, IdempotentRequest.class)).isNotNull();
		assertThat(first.getBody()).contains("LeadCreated");
	}

	@Test
	void queriesAndRequestsWithoutAKeyAreNotRecorded() {
		String key = UUID.randomUUID().toString();
		post("demo-marketing", key, "{ leads(first: 1) { edges { cursor } } }", Map.of());
		assertThat(mongo.findById("demo-marketing\u001f" + key, IdempotentRequest.class)).isNull();
	}

	@Test
	void keysPastTheirTimeArePurgedAndOthersKept() {
		String kept = UUID.randomUUID().toString();
		String expired = UUID.randomUUID().toString();
		for (String key : new String[] { kept, expired }) {
			post("demo-marketing", key, CREATE, Map.of("input", Map.of("email", "idem-" + key + "@example.com")));
		}
		mongo.updateFirst(Query.query(Criteria.where("_id").is("demo-marketing\u001f" + expired)),
				new Update().set("expiresAt", Instant.now().minusSeconds(1)), IdempotentRequest.class);

		purge.purge();

		assertThat(mongo.findById("demo-marketing\u001f" + expired, IdempotentRequest.class)).isNull();
		assertThat(mongo.findById("demo-marketing\u001f" + kept, IdempotentRequest.class)).isNotNull();
	}

	private ResponseEntity<String> post(String client, String key, String document, Map<String, Object> variables) {
		return RawPosts.exchange(port, token(client), document, variables, headers -> headers.set("Idempotency-Key", key),
				new ParameterizedTypeReference<String>() {
				});
	}
}
