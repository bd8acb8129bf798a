package io.leadgraph.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may call what: tokens from the dev issuer, 401 without one, FORBIDDEN (and no data) when denied. */
class SecurityIT extends IntegrationTest {

	@Autowired
	JWKSource<SecurityContext> jwks;

	private static final String LEAD_ID = "6b0000000000000000000000";

	private static final Map<String, String> OPERATIONS = Map.of(
			"lead", "{ lead(id: \"" + LEAD_ID + "\") { id } }",
			"leads", "{ leads(first: 1) { edges { node { id email } } } }",
			"createLead", "mutation { createLead(input: { email: \"denied@example.com\" }) { __typename } }",
			"updateLead", "mutation { updateLead(input: { id: \"" + LEAD_ID + "\", title: \"x\" }) { __typename } }",
			"moveLeadStage", "mutation { moveLeadStage(input: { leadId: \"" + LEAD_ID + "\", to: MQL }) { __typename } }",
			"leadEvents", "{ leadEvents(first: 1) { edges { node { eventId } } } }");

	@Test
	void withoutAValidTokenTheApiAnswers401() {
		RestClient client = RestClient.create("http://localhost:" + port);
		for (String authorization : List.of("", "Bearer not-a-jwt", "Bearer " + tampered(token("demo-admin")))) {
			assertThatThrownBy(() -> client.post()
				.uri("/graphql")
				.contentType(MediaType.APPLICATION_JSON)
				.headers(headers -> {
					if (!authorization.isEmpty()) {
						headers.set("Authorization", authorization);
					}
				})
				.body(Map.of("query", "{ leads { edges { cursor } } }"))
				.retrieve()
				.toBodilessEntity()).isInstanceOfSatisfying(HttpClientErrorException.class,
						ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED));
		}
	}

	@Test
	void aTokenWithoutSubjectIsRefusedThoughValidlySigned() throws Exception {
		RSAKey key = (RSAKey) jwks.get(new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.RSA).build()), null)
			.getFirst();
		RestClient client = RestClient.create("http://localhost:" + port);
		for (String subject : new String[] { "matrix-signed", null, " " }) {
			var claims = new JWTClaimsSet.Builder().subject(subject)
				.issueTime(new Date())
				.expirationTime(Date.from(Instant.now().plusSeconds(300)))
				.claim("roles", List.of("admin"));
			var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
			jwt.sign(new RSASSASigner(key));
			int status = client.post()
				.uri("/graphql")
				.contentType(MediaType.APPLICATION_JSON)
				.headers(headers -> headers.setBearerAuth(jwt.serialize()))
				.body(Map.of("query", "{ leads(first: 1) { edges { cursor } } }"))
				.exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).as("subject " + subject).isEqualTo(subject == null || subject.isBlank() ? 401 : 200);
		}
	}

	@Test
	void healthIsUpAndNeedsNoToken() {
		Map<String, Object> health = RestClient.create("http://localhost:" + port)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(new org.springframework.core.ParameterizedTypeReference<>() {
			});
		assertThat(health).containsEntry("status", "UP");
	}

	@Test
	void devTokensCarryTheClientsRolesAndPartnerId() {
		assertThat(claims(token("demo-marketing"))).containsEntry("sub", "demo-marketing")
			.containsEntry("roles", List.of("marketing"));
		assertThat(claims(token("demo-partner"))).containsEntry("roles", List.of("partner"))
			.containsEntry("partner_id", "partner-acme");
		assertThat(claims(token("demo-partner-2"))).containsEntry("partner_id", "partner-globex");
	}

	@Test
	void aWrongClientSecretGetsNoToken() {
		assertThatThrownBy(() -> RestClient.create()
			.post()
			.uri("http://localhost:" + port + "/oauth2/token")
			.headers(headers -> headers.setBasicAuth("demo-admin", "wrong"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("grant_type=client_credentials")
			.retrieve()
			.toBodilessEntity()).isInstanceOf(HttpClientErrorException.Unauthorized.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo-partner", "demo-automation" })
	void partnersAndAutomationCannotReadOrChangeLeads(String client) {
		for (String operation : List.of("leads", "createLead", "updateLead", "moveLeadStage")) {
			assertForbidden(client, operation);
		}
	}

	@Test
	void automationMayNotReadALeadAndToPartnersNoLeadExists() {
		assertForbidden("demo-automation", "lead");
		as("demo-partner").document(OPERATIONS.get("lead")).execute().errors().verify().path("lead").valueIsNull();
	}

	@Test
	void partnersCannotReadTheEventLogWhosePayloadsArePersonal() {
		assertForbidden("demo-partner", "leadEvents");
	}

	@Test
	void automationReadsTheEventLogItAlsoGetsThroughWebhooks() {
		as("demo-automation").document(OPERATIONS.get("leadEvents")).execute().path("leadEvents.edges").hasValue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "demo-admin", "demo-marketing", "demo-sales" })
	void marketingSalesAndAdminMayReadLeadsAndTheirEvents(String client) {
		as(client).document(OPERATIONS.get("leads")).execute().path("leads.edges").hasValue();
		as(client).document(OPERATIONS.get("leadEvents")).execute().path("leadEvents.edges").hasValue();
		as(client).document(OPERATIONS.get("lead")).execute().path("lead").valueIsNull();
	}

	@Test
	void graphiqlIsOpenInDevButTheSchemaNeedsAToken() {
		RestClient client = RestClient.create("http://localhost:" + port);
		assertThat(client.get().uri("/graphiql?path=/graphql").retrieve().toEntity(String.class).getStatusCode().is2xxSuccessful())
			.isTrue();
		assertThatThrownBy(() -> client.get().uri("/graphql/schema").retrieve().toBodilessEntity())
			.isInstanceOf(HttpClientErrorException.Unauthorized.class);
		String schema = client.get()
			.uri("/graphql/schema")
			.headers(headers -> headers.setBearerAuth(token("demo-sales")))
			.retrieve()
			.body(String.class);
		assertThat(schema).contains("type Lead", "moveLeadStage");
	}

	private void assertForbidden(String client, String operation) {
		var data = as(client).document(OPERATIONS.get(operation))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).as(client + " " + operation).singleElement().satisfies(error -> {
				assertThat(error.getErrorType()).isEqualTo(ErrorType.FORBIDDEN);
				assertThat(error.getMessage()).doesNotContain("Exception", "io.leadgraph", "org.springframework");
			}))
			.path(operation);
		if (operation.equals("lead")) {
			data.valueIsNull();
		}
		else {
			data.pathDoesNotExist();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> claims(String jwt) {
		String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
		return new tools.jackson.databind.json.JsonMapper().readValue(payload, Map.class);
	}

	/** The same token with its payload changed to claim the admin role of another subject. */
	private static String tampered(String jwt) {
		String[] parts = jwt.split("\\.");
		String forged = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("demo-admin", "demo-admln");
		return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "."
				+ parts[2];
	}
}
