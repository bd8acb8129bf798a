package example;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.graphql.client.HttpSyncGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;

/**
 * Leadgraph from Java with Spring's GraphQL clients: subscribes to leads moving to SQL over graphql-ws
 * ({@link WebSocketGraphQlClient}, the token in {@code connection_init}) from the cursor of a new lead's
 * creation, then moves that lead there with {@link HttpSyncGraphQlClient} and prints the event it receives. Exits non-zero if none comes.
 * Environment: LEADGRAPH_URL (http://localhost:8080), LEADGRAPH_TOKEN_URL ($LEADGRAPH_URL/oauth2/token).
 */
public final class FollowSqlMoves {

	record Edge(String cursor) {
	}

	record LeadEvent(String eventId, String cursor, String leadId, int seq, String type, String actor) {
	}

	public static void main(String[] args) throws Exception {
		String base = System.getenv().getOrDefault("LEADGRAPH_URL", "http://localhost:8080").replaceAll("/$", "");
		String tokenUrl = System.getenv().getOrDefault("LEADGRAPH_TOKEN_URL", base + "/oauth2/token");

		String salesToken = token(tokenUrl, "demo-sales", "demo-sales-secret");
		HttpSyncGraphQlClient marketing = http(base, token(tokenUrl, "demo-marketing", "demo-marketing-secret"));
		HttpSyncGraphQlClient sales = http(base, salesToken);
		String leadId = marketing.document("""
				mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }""")
			.variable("input", Map.of("email", "java." + UUID.randomUUID() + "@example.org", "lastName", "Java"))
			.retrieveSync("createLead.lead.id")
			.toEntity(String.class);
		// subscribe from the cursor of the lead's creation: whatever happens to it later reaches us,
		// however long the subscription takes to start
		List<Edge> edges = marketing.document("query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}) { edges { cursor } } }")
			.variable("ids", List.of(leadId))
			.retrieveSync("leadEvents.edges")
			.toEntityList(Edge.class);

		WebSocketGraphQlClient subscriber = WebSocketGraphQlClient
			.builder(base.replaceFirst("^http", "ws") + "/graphql", new StandardWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + salesToken));
				}
			})
			.build();
		var firstSqlMove = subscriber.document("""
				subscription($after: String) {
				  leadEvents(filter: {toStages: [SQL]}, after: $after) { eventId cursor leadId seq type actor }
				}""")
			.variable("after", edges.getLast().cursor())
			.retrieveSubscription("leadEvents")
			.toEntity(LeadEvent.class)
			.filter(event -> event.leadId().equals(leadId))
			.next()
			.toFuture();

		String move = "mutation($input: MoveLeadStageInput!) { moveLeadStage(input: $input) { __typename } }";
		marketing.document(move).variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "java example"))
			.executeSync();
		sales.document(move).variable("input", Map.of("leadId", leadId, "to", "SQL", "reason", "java example"))
			.executeSync();
		System.out.println("lead " + leadId + " moved NEW → MQL → SQL");

		LeadEvent event = Mono.fromFuture(firstSqlMove).block(Duration.ofSeconds(20));
		subscriber.stop().block(Duration.ofSeconds(5));
		if (event == null || !event.leadId().equals(leadId)) {
			throw new IllegalStateException("expected the SQL move of " + leadId + ", got " + event);
		}
		System.out.println("received " + event.type() + " of " + event.leadId() + " (seq " + event.seq() + ", by "
				+ event.actor() + "); resume later with after: " + event.cursor());
		System.out.println("java example OK");
		System.exit(0);
	}

	private static HttpSyncGraphQlClient http(String base, String token) {
		return HttpSyncGraphQlClient.create(RestClient.builder()
			.baseUrl(base + "/graphql")
			.defaultHeader("Authorization", "Bearer " + token)
			.build());
	}

	private static String token(String tokenUrl, String client, String secret) throws Exception {
		var request = HttpRequest.newBuilder(URI.create(tokenUrl))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build();
		var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("token for " + client + ": HTTP " + response.statusCode());
		}
		return (String) JsonMapper.builder().build().readValue(response.body(), Map.class).get("access_token");
	}
}
