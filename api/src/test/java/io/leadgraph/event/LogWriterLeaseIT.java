package io.leadgraph.event;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;
import io.leadgraph.support.MutableClock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one store: one writes the log at a time, the other takes over when the lease
 * expires or is released, and a deposed writer cannot write positions out of order.
 */
class LogWriterLeaseIT extends IntegrationTest {

	private static final Query ANY_LEASE = Query.query(Criteria.where("_id").exists(true));

	@Autowired
	MongoTemplate mongo;

	@Autowired
	LogWriterLease applicationLease;

	private final MutableClock clock = new MutableClock();

	@BeforeEach
	void freeTheLease() {
		applicationLease.release();
		mongo.remove(ANY_LEASE, LogWriterLease.COLLECTION);
	}

	@AfterEach
	void handBack() {
		mongo.remove(ANY_LEASE, LogWriterLease.COLLECTION);
	}

	@Test
	void oneInstanceWritesAtATimeAndTheOtherTakesOverOnExpiry() {
		var a = new LogWriterLease(mongo, clock);
		var b = new LogWriterLease(mongo, clock);

		assertThat(a.hold()).isTrue();
		assertThat(b.hold()).isFalse();

		clock.advance(Duration.ofSeconds(16));
		assertThat(b.hold()).isTrue();
		assertThat(a.hold()).isFalse();

		b.release();
		assertThat(a.hold()).isTrue();
	}

	@Test
	void aNonWriterLeavesEventsWhereTheyAreAndADeposedWriterCannotWriteOutOfOrder() {
		var a = new EventLog(mongo, new LogWriterLease(mongo, clock), new EventReads(mongo), new LiveEvents(new EventReads(mongo), null, ""), appended -> {
		}, clock);
		var b = new EventLog(mongo, new LogWriterLease(mongo, clock), new EventReads(mongo), new LiveEvents(new EventReads(mongo), null, ""), appended -> {
		}, clock);
		String lead = UUID.randomUUID().toString();

		assertThat(a.append(List.of(event(lead, 1)))).isTrue();
		assertThat(b.append(List.of(event(lead, 2)))).isFalse();

		clock.advance(Duration.ofSeconds(16));
		assertThat(b.append(List.of(event(lead, 2)))).isTrue();
		// a still believes it holds the lease only until it checks; its next append must fail or wait
		assertThat(a.append(List.of(event(lead, 3)))).isFalse();
		assertThat(b.append(List.of(event(lead, 3)))).isTrue();

		List<LeadEvent> written = mongo.find(Query.query(Criteria.where("leadId").is(lead)), LeadEvent.class);
		assertThat(written).extracting(LeadEvent::seq).containsExactly(1L, 2L, 3L);
		assertThat(written).extracting(LeadEvent::position).isSorted().doesNotHaveDuplicates();
	}

	private PendingEvent event(String lead, long seq) {
		return PendingEvent.of(lead, seq, "TEST", clock.instant(), "test", Map.of(), PendingEvent.LeadFacts.NONE);
	}
}
