package io.leadgraph.handoff;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.touchpoint.Direction;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointsRecorded;

import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Stops the human-response clock at the rep's first touch: the first OUTBOUND touchpoint on the lead,
 * at or after the assignment, that the rep recorded (they are its {@code recordedBy}) or that a tool
 * recorded for them ({@code properties.repId}). The SLA is MET when it came by the due time.
 */
@Component
class FirstTouches {

	private static final Logger log = LoggerFactory.getLogger(FirstTouches.class);

	private final MongoTemplate mongo;

	FirstTouches(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	@EventListener
	void recorded(TouchpointsRecorded recorded) {
		List<Touchpoint> outbound = recorded.touchpoints()
			.stream()
			.filter(touchpoint -> touchpoint.direction() == Direction.OUTBOUND)
			.toList();
		if (outbound.isEmpty()) {
			return;
		}
		try {
			List<String> leadIds = outbound.stream().map(Touchpoint::leadId).distinct().toList();
			for (Handoff handoff : mongo.find(Query.query(Criteria.where("leadId").in(leadIds)
				.and("status").is(HandoffStatus.PENDING).and("firstTouchAt").isNull()), Handoff.class)) {
				firstTouchBy(handoff, outbound).ifPresent(at -> touched(handoff, at));
			}
		}
		catch (RuntimeException ex) {
			// the touchpoints are recorded; the rep's accept still stops the clock
			log.warn("Could not stop the SLA clocks of {} touched leads: {}", outbound.size(), ex.toString());
		}
	}

	private static Optional<Instant> firstTouchBy(Handoff handoff, List<Touchpoint> outbound) {
		return outbound.stream()
			.filter(touchpoint -> touchpoint.leadId().equals(handoff.leadId()))
			.filter(touchpoint -> java.util.Objects.equals(handoff.repId(), touchpoint.recordedBy())
					|| java.util.Objects.equals(handoff.repId(), touchpoint.properties().get("repId")))
			.map(Touchpoint::occurredAt)
			.filter(at -> !at.isBefore(handoff.assignedAt()))
			.min(Comparator.naturalOrder());
	}

	/** The touch, and MET when in time, unless the SLA was already settled as BREACHED (then only the touch). */
	private void touched(Handoff handoff, Instant at) {
		SlaStatus sla = at.isAfter(java.util.Objects.requireNonNull(handoff.dueAt())) ? SlaStatus.BREACHED : SlaStatus.MET;
		Criteria open = Criteria.where("_id").is(handoff.id()).and("status").is(HandoffStatus.PENDING)
			.and("firstTouchAt").isNull();
		boolean settled = mongo.updateFirst(Query.query(open.and("sla").in(SlaStatus.ON_TRACK, SlaStatus.AT_RISK)),
				new Update().set("firstTouchAt", at).set("sla", sla), Handoff.class).getModifiedCount() == 1;
		if (!settled) {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id()).and("status").is(HandoffStatus.PENDING)
				.and("firstTouchAt").isNull()), new Update().set("firstTouchAt", at), Handoff.class);
		}
	}
}
