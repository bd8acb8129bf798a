package io.leadgraph.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks through the API against a receiver on loopback: signed deliveries of the chosen event
 * types, retries while the receiver is down, the dead-letter state, redelivery and the delivery log.
 */
@TestPropertySource(properties = { "leadgraph.webhooks.allow-private-targets=true",
		"leadgraph.webhooks.dispatch-interval=100ms", "leadgraph.webhooks.send-interval=100ms",
		"leadgraph.webhooks.retry-base=100ms", "leadgraph.webhooks.max-attempts=3",
		"leadgraph.webhooks.disable-after-dead=2" })
class WebhookIT extends IntegrationTest {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	private static final JsonMapper JSON = JsonMapper.builder().build();

	record Received(Map<String, String> headers, String body) {
	}

	@Autowired
	MongoTemplate mongo;

	private HttpServer receiver;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	/** How many of the next requests the receiver answers with 503. */
	private final AtomicInteger failNext = new AtomicInteger();

	private final List<String> endpoints = new ArrayList<>();

	@BeforeEach
	void startReceiver() throws IOException {
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
			if (status == 204) {
				received.add(new Received(Map.of("id", exchange.getRequestHeaders().getFirst("Leadgraph-Event-Id"),
						"timestamp", exchange.getRequestHeaders().getFirst("Leadgraph-Timestamp"),
						"signature", exchange.getRequestHeaders().getFirst("Leadgraph-Signature")), body));
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		endpoints.forEach(id -> as("demo-admin")
			.document("mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, active: false}) { active } }")
			.variable("id", id)
			.executeAndVerify());
		receiver.stop(0);
	}

	@Test
	void aMoveIsDeliveredSignedToAnEndpointThatWantsStageChanges() throws Exception {
		Map<String, Object> created = createEndpoint(List.of("STAGE_CHANGED"));
		String secret = (String) created.get("secret");
		String leadId = createLead();
		move(leadId);

		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(leadId)));
		List<Received> ofLead = received.stream().filter(r -> r.body().contains(leadId)).toList();
		assertThat(ofLead).as("LEAD_CREATED is not a type this endpoint wants").hasSize(1);
		Received delivery = ofLead.getFirst();
		Map<String, Object> body = JSON.readValue(delivery.body(), Map.class);
		assertThat(body).containsEntry("type", "STAGE_CHANGED").containsEntry("leadId", leadId)
			.containsEntry("seq", 2).containsEntry("eventId", delivery.headers().get("id"));
		assertThat((Map<String, Object>) body.get("payload")).containsEntry("from", "NEW").containsEntry("to", "MQL");
		assertThat(delivery.headers().get("signature"))
			.isEqualTo("v1=" + hmac(secret, delivery.headers().get("timestamp") + "." + delivery.body()));
		assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(delivery.headers().get("timestamp"))))
			.isLessThan(60);

		String endpointId = endpointId(created);
		await().untilAsserted(() -> assertThat(deliveries(endpointId)).singleElement()
			.satisfies(logged -> assertThat(logged).containsEntry("status", "DELIVERED").containsEntry("attempts", 1)
				.containsEntry("lastResponseCode", 204)));
	}

	@Test
	void aReceiverThatIsDownGetsItOnceBackAndDeadDeliveriesCanBeRedelivered() {
		String endpointId = endpointId(createEndpoint(List.of()));
		failNext.set(2);
		String first = createLead();
		await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(r -> r.body().contains(first)));
		assertThat(deliveries(endpointId)).singleElement()
			.satisfies(logged -> assertThat(logged).containsEntry("status", "DELIVERED").containsEntry("attempts", 3));

		failNext.set(3);
		String second = createLead();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> deliveries(endpointId).stream().anyMatch(logged -> "DEAD".equals(logged.get("status"))));
		Map<String, Object> dead = deliveries(endpointId).getFirst();
		assertThat(dead).containsEntry("status", "DEAD").containsEntry("attempts", 3)
			.containsEntry("lastResponseCode", 503).containsEntry("lastError", "HTTP 503");
		assertThat(received.stream().noneMatch(r -> r.body().contains(second))).isTrue();

		as("demo-automation")
			.document("mutation($e: ID!, $ev: ID!) { redeliverWebhook(input: {endpointId: $e, eventId: $ev}) { status attempts } }")
			.variable("e", endpointId)
			.variable("ev", dead.get("eventId"))
			.execute()
			.path("redeliverWebhook.status")
			.entity(String.class)
			.isEqualTo("PENDING");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(second)));
		assertThat(received.stream().filter(r -> r.body().contains(second)).count()).isEqualTo(1);
	}

	@Test
	void anEndpointThatFailsEveryAttemptIsSwitchedOffWithAReason() {
		String endpointId = endpointId(createEndpoint(List.of()));
		failNext.set(1_000);
		createLead();
		createLead();
		await().atMost(Duration.ofSeconds(20)).until(() -> !endpoint(endpointId).get("active").equals(true));
		Map<String, Object> off = endpoint(endpointId);
		assertThat(off.get("disabledReason")).isEqualTo("2 deliveries in a row failed every attempt");
		assertThat(off.get("disabledAt")).isNotNull();

		failNext.set(0);
		as("demo-admin").document("mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, active: true}) { active disabledReason } }")
			.variable("id", endpointId)
			.execute()
			.path("updateWebhookEndpoint.disabledReason")
			.valueIsNull();
		String later = createLead();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(later)));
	}

	@Test
	void aDeliveryClaimedByAnInstanceThatDiedIsTakenOverWhenItsLeaseLapses() {
		String endpointId = endpointId(createEndpoint(List.of("LEAD_CREATED")));
		String eventId = UUID.randomUUID().toString();
		Instant now = Instant.now();
		// what a crashed instance leaves: a delivery it had claimed (lease 2 s ahead) and never recorded
		mongo.insert(new WebhookDelivery(UUID.randomUUID().toString().replace("-", "").substring(0, 24), endpointId,
				eventId, Long.MAX_VALUE, "LEAD_CREATED", "{\"eventId\":\"" + eventId + "\"}",
				WebhookDelivery.DeliveryStatus.PENDING, 1, now, now.plusSeconds(2), null, null, null, now, null));

		await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(2))
			.until(() -> received.stream().noneMatch(r -> eventId.equals(r.headers().get("id"))));
		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> eventId.equals(r.headers().get("id"))));
		assertThat(received.stream().filter(r -> eventId.equals(r.headers().get("id"))).count()).isEqualTo(1);
	}

	@Test
	void aDispatchCursorPastRetentionStartsAgainFromWhatTheLogKeeps() {
		String endpointId = endpointId(createEndpoint(List.of("LEAD_CREATED")));
		String before = createLead();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(before)));
		// webhooks idle for longer than retention: the purge went past the dispatcher's cursor
		long cursor = mongo.findById("cursor", org.bson.Document.class, "webhook_dispatch").get("position", Number.class)
			.longValue();
		mongo.save(new org.bson.Document("_id", "purge").append("purgedThrough", cursor + 1), "event_log_state");
		try {
			String after = createLead();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(after)));
			assertThat(deliveries(endpointId)).extracting(logged -> logged.get("status")).containsOnly("DELIVERED");
		}
		finally {
			mongo.remove(Query.query(Criteria.where("_id").is("purge")), "event_log_state");
		}
	}

	@Test
	void aRotatedSecretSignsFromThenOn() {
		Map<String, Object> created = createEndpoint(List.of("LEAD_CREATED"));
		String rotated = as("demo-admin")
			.document("mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret } }")
			.variable("id", endpointId(created))
			.execute()
			.path("rotateWebhookSecret.secret")
			.entity(String.class)
			.get();
		assertThat(rotated).startsWith("whsec_").isNotEqualTo(created.get("secret"));
		String leadId = createLead();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.body().contains(leadId)));
		Received delivery = received.stream().filter(r -> r.body().contains(leadId)).findFirst().orElseThrow();
		assertThat(delivery.headers().get("signature"))
			.isEqualTo("v1=" + hmac(rotated, delivery.headers().get("timestamp") + "." + delivery.body()));
	}

	@Test
	void onlyAdminAndAutomationManageWebhooks() {
		for (String client : List.of("demo-marketing", "demo-sales", "demo-partner")) {
			as(client).document("{ webhookEndpoints { id } }")
				.execute()
				.errors()
				.expect(error -> error.getErrorType().toString().equals("FORBIDDEN"))
				.verify();
		}
	}

	// --- helpers

	private Map<String, Object> createEndpoint(List<String> types) {
		Map<String, Object> created = as("demo-automation").document("""
				mutation($url: String!, $types: [LeadEventType!]) {
				  createWebhookEndpoint(input: {url: $url, eventTypes: $types}) { endpoint { id url eventTypes active } secret }
				}""")
			.variable("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
			.variable("types", types)
			.execute()
			.path("createWebhookEndpoint")
			.entity(MAP)
			.get();
		endpoints.add(endpointId(created));
		return created;
	}

	@SuppressWarnings("unchecked")
	private static String endpointId(Map<String, Object> created) {
		return (String) ((Map<String, Object>) created.get("endpoint")).get("id");
	}

	private Map<String, Object> endpoint(String id) {
		return as("demo-admin").document("{ webhookEndpoints { id active disabledAt disabledReason } }")
			.execute()
			.path("webhookEndpoints")
			.entityList(MAP)
			.get()
			.stream()
			.filter(endpoint -> endpoint.get("id").equals(id))
			.findFirst()
			.orElseThrow();
	}

	private List<Map<String, Object>> deliveries(String endpointId) {
		return as("demo-automation").document("""
				query($id: ID!) { webhookDeliveries(endpointId: $id) {
				  eventId eventType status attempts lastResponseCode lastLatencyMillis lastError } }""")
			.variable("id", endpointId)
			.execute()
			.path("webhookDeliveries")
			.entityList(MAP)
			.get();
	}

	private String createLead() {
		return as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", Map.of("email", "webhook." + UUID.randomUUID() + "@example.com"))
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	private void move(String leadId) {
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "webhook test"))
			.executeAndVerify();
	}

	private static String hmac(String secret, String signed) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}
}
