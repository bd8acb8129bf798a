package io.leadgraph.lead;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadgraph.event.EventLog;
import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static io.leadgraph.lead.LeadLifecycleIT.MAP;
import static io.leadgraph.lead.LeadLifecycleIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;

/**
 * A crash between the lead write and the event relay loses nothing and doubles nothing: the events
 * wait in the lead's outbox and the sweep moves them to the log exactly once.
 */
class LeadOutboxRelayIT extends IntegrationTest {

	@MockitoSpyBean
	EventLog eventLog;

	@Autowired
	LeadOutboxRelay relay;

	@Autowired
	Leads leads;

	@Test
	void eventsOfAWriteWhoseRelayFailedAreRelayedOnceByTheSweep() {
		doThrow(new DataAccessResourceFailureException("store went away")).when(eventLog).append(any());
		String id = create(unique("crash"));
		move(id, "MQL");
		reset(eventLog);

		assertThat(leads.findById(id).orElseThrow().outbox()).hasSize(2);
		assertThat(seqs(id)).isEmpty();

		relay.sweep();
		relay.sweep();

		assertThat(seqs(id)).containsExactly(1, 2);
		assertThat(leads.findById(id).orElseThrow().outbox()).isEmpty();
	}

	@Test
	void eventsAppendedJustBeforeACrashAreNotAppendedAgain() {
		doThrow(new DataAccessResourceFailureException("store went away")).when(eventLog).append(any());
		String id = create(unique("halfway"));
		reset(eventLog);
		// the append reached the log, then the process died before the outbox was emptied
		assertThat(eventLog.append(leads.findById(id).orElseThrow().outbox())).isTrue();
		assertThat(leads.findById(id).orElseThrow().outbox()).hasSize(1);

		relay.sweep();
		move(id, "MQL");

		assertThat(seqs(id)).containsExactly(1, 2);
		assertThat(leads.findById(id).orElseThrow().outbox()).isEmpty();
	}

	private String create(String email) {
		return (String) as("demo-marketing").documentName("createLead").fragmentName("leadFields")
			.variable("input", Map.of("email", email))
			.execute()
			.path("createLead.lead")
			.entity(MAP)
			.get()
			.get("id");
	}

	private void move(String id, String to) {
		as("demo-marketing").documentName("moveLeadStage").fragmentName("leadFields")
			.variable("input", Map.of("leadId", id, "to", to))
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	private List<Integer> seqs(String id) {
		return as("demo-admin").documentName("leadEvents")
			.variable("filter", Map.of("leadIds", List.of(id)))
			.execute()
			.path("leadEvents.edges[*].node.seq")
			.entityList(Integer.class)
			.get();
	}
}
