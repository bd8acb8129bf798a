package io.leadgraph.event;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.leadgraph.LeadgraphApplication;
import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two service instances on one store: an event written through this one (A) reaches a subscriber
 * connected to the other (B), which learns of it by its own follower, not by anything in A's memory.
 */
class TwoInstancesIT extends IntegrationTest {

	@Autowired
	MongoConnectionDetails store;

	@Autowired
	Environment environment;

	private ConfigurableApplicationContext instanceB;

	private WebSocketGraphQlTester subscriberOnB;

	@AfterEach
	void stopB() {
		if (subscriberOnB != null) {
			subscriberOnB.stop().block(Duration.ofSeconds(5));
		}
		if (instanceB != null) {
			instanceB.close();
		}
	}

	@Test
	void anEventWrittenThroughOneInstanceReachesASubscriberOfTheOther() {
		instanceB = new SpringApplicationBuilder(LeadgraphApplication.class).run("--server.port=0",
				"--spring.mongodb.uri=" + store.getConnectionString().getConnectionString(),
				"--spring.mongodb.database=" + environment.getProperty("spring.mongodb.database", "leadgraph"),
				// B only reads: it must not take the log writer's lease from A in the middle of the test
				"--leadgraph.events.relay-sweep-interval=1h", "--leadgraph.touchpoints.event-sweep-interval=1h");
		int portB = Integer.parseInt(instanceB.getEnvironment().getRequiredProperty("local.server.port"));
		String leadId = as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", Map.of("email", "two-instances." + UUID.randomUUID() + "@example.com"))
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
		LiveEvents liveOnB = instanceB.getBean(LiveEvents.class);

		String tokenFromB = tokenFrom(portB, "demo-sales");
		subscriberOnB = LeadEventSubscriptionIT.socket(portB, tokenFromB);
		var received = subscriberOnB.documentName("followLeadEvents")
			.variable("filter", Map.of("leadIds", List.of(leadId)))
			.executeSubscription()
			.toFlux("leadEvents", LeadEventSubscriptionIT.Event.class)
			.next()
			.toFuture();
		await().until(() -> liveOnB.followerCount() == 1);

		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "written through A"))
			.executeAndVerify();

		var event = Mono.fromFuture(received).block(Duration.ofSeconds(10));
		assertThat(event.leadId()).isEqualTo(leadId);
		assertThat(event.type()).isEqualTo("STAGE_CHANGED");
		assertThat(event.seq()).isEqualTo(2);
	}
}
