package io.leadgraph.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.SubscriptionErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention deletes old events; a cursor from before what it keeps gets CURSOR_EXPIRED (query and
 * subscription), never a replay with a hole, and the log goes on numbering after a purge.
 */
class EventRetentionIT extends IntegrationTest {

	@Autowired
	EventRetention retention;

	@Test
	void aCursorFromBeforeTheRetainedLogIsRefusedAndTheLogGoesOn() throws Exception {
		String first = createLead();
		String beforePurge = cursors(first).getFirst();
		moveToMql(first);
		String lastPurged = cursors(first).getLast();
		Thread.sleep(5);
		Instant cutoff = Instant.now();
		Thread.sleep(5);
		String kept = createLead();

		assertThat(retention.purgeRecordedBefore(cutoff)).isPositive();

		as("demo-admin").documentName("leadEvents")
			.variable("after", beforePurge)
			.execute()
			.errors()
			.expect(error -> "CURSOR_EXPIRED".equals(error.getExtensions().get("code"))
					&& "after".equals(error.getExtensions().get("field")))
			.verify();
		assertThat(as("demo-admin").documentName("leadEvents")
			.variable("after", lastPurged)
			.execute()
			.path("leadEvents.edges[*].node.leadId")
			.entityList(String.class)
			.get()).as("nothing after this cursor was deleted").contains(kept);

		var subscription = LeadEventSubscriptionIT.socket(port, token("demo-sales"));
		try {
			var events = subscription.documentName("followLeadEvents")
				.variable("after", beforePurge)
				.executeSubscription()
				.toFlux();
			assertThatThrownBy(() -> events.blockFirst(Duration.ofSeconds(10)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class, refused -> assertThat(refused.getErrors())
					.extracting(error -> error.getExtensions().get("code"))
					.containsExactly("CURSOR_EXPIRED"));
		}
		finally {
			subscription.stop().block(Duration.ofSeconds(5));
		}

		retention.purgeRecordedBefore(Instant.now().plusSeconds(3600));
		String after = createLead();
		assertThat(cursors(after)).as("numbering goes on after everything old was purged").hasSize(1);
		assertThat(as("demo-admin").documentName("leadEvents")
			.variable("after", cursors(kept).getLast())
			.execute()
			.path("leadEvents.edges[*].node.leadId")
			.entityList(String.class)
			.get()).containsExactly(after);
	}

	private String createLead() {
		return as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", Map.of("email", "retention." + UUID.randomUUID() + "@example.com"))
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	private void moveToMql(String leadId) {
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", leadId, "to", "MQL", "reason", "retention test"))
			.executeAndVerify();
	}

	private List<String> cursors(String leadId) {
		return as("demo-admin").document("query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}) { edges { cursor } } }")
			.variable("ids", List.of(leadId))
			.execute()
			.path("leadEvents.edges[*].cursor")
			.entityList(String.class)
			.get();
	}

}
