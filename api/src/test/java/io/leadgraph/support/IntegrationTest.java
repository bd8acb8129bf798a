package io.leadgraph.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the integration tests: the whole service on a random port with the embedded store, real
 * tokens from the dev issuer for each demo client, GraphQL over HTTP, and a check after each test
 * that every query it caused is served by a declared index.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "leadgraph.events.relay-sweep-interval=1h", "leadgraph.touchpoints.event-sweep-interval=1h",
				// webhook jobs stay quiet here (tests count store commands); WebhookIT runs them fast
				"leadgraph.webhooks.dispatch-interval=1h", "leadgraph.webhooks.send-interval=1h",
				// one demo client plays many users here; RateLimitsIT spends small budgets
				"leadgraph.rate-limits.budgets.admin=100000000", "leadgraph.rate-limits.budgets.marketing=100000000",
				"leadgraph.rate-limits.budgets.sales=100000000", "leadgraph.rate-limits.budgets.automation=100000000",
				"leadgraph.rate-limits.budgets.partner=100000000",
				// and holds the fan-out benchmark's thousands of subscriptions; RateLimitsIT allows 2
				"leadgraph.rate-limits.max-subscriptions-per-client=100000000" })
@AutoConfigureHttpGraphQlTester
@Import(QueryShapesConfiguration.class)
public abstract class IntegrationTest {

	private static final Map<String, String> tokens = new ConcurrentHashMap<>();

	@LocalServerPort
	protected int port;

	@Autowired
	protected HttpGraphQlTester graphQl;

	@Autowired
	protected QueryShapes queryShapes;

	/** A tester that sends the token of the given dev client, e.g. {@code demo-marketing}. */
	protected HttpGraphQlTester as(String clientId) {
		String token = token(clientId);
		return graphQl.mutate().headers(headers -> headers.setBearerAuth(token)).build();
	}

	protected String token(String clientId) {
		return tokens.computeIfAbsent(port + "/" + clientId, key -> tokenFrom(port, clientId));
	}

	/** The cursor of the lead's newest event in the log: subscribing after it misses nothing later. */
	protected String cursorOfLastEvent(String leadId) {
		return as("demo-admin").document("query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}, first: 100) { edges { cursor } } }")
			.variable("ids", List.of(leadId))
			.execute()
			.path("leadEvents.edges[*].cursor")
			.entityList(String.class)
			.get()
			.getLast();
	}

	/** A fresh token of a demo client from the dev issuer of the service on that port. */
	protected static String tokenFrom(int port, String clientId) {
		var form = new LinkedMultiValueMap<String, String>();
		form.add("grant_type", "client_credentials");
		Map<?, ?> response = RestClient.create()
			.post()
			.uri("http://localhost:" + port + "/oauth2/token")
			.headers(headers -> headers.setBasicAuth(clientId, clientId + "-secret"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(form)
			.retrieve()
			.body(Map.class);
		return (String) response.get("access_token");
	}

	@AfterEach
	void everyQueryWasServedByAnIndex() {
		assertThat(queryShapes.drainUnserved()).as("queries no declared index serves").isEmpty();
	}
}
