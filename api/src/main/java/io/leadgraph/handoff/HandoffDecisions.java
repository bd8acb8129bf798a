package io.leadgraph.handoff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.RejectionReason;
import io.leadgraph.lead.Handover;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The lead's side of a decided handoff, derived from the handoff alone (so a timer can finish what a
 * crash interrupted, with the same event id): the move with its event, the rep's place freed, the
 * timer off.
 */
@Component
class HandoffDecisions {

	private static final Logger log = LoggerFactory.getLogger(HandoffDecisions.class);

	private final LeadService leads;

	private final RepPlaces places;

	private final MongoTemplate mongo;

	HandoffDecisions(LeadService leads, RepPlaces places, MongoTemplate mongo) {
		this.leads = leads;
		this.places = places;
		this.mongo = mongo;
	}

	static Stage stageAfter(RejectionReason reason) {
		return reason.disqualifies() ? Stage.DISQUALIFIED : Stage.RECYCLED;
	}

	/** @param timer the handoff's timer as the caller set or claimed it: cleared only if it is still that */
	void apply(Handoff decided, java.time.Instant timer) {
		var outcome = leads.handOver(List.of(handover(decided))).values().iterator().next();
		if (outcome == Handover.Outcome.WRONG_STAGE || outcome == Handover.Outcome.NOT_FOUND) {
			log.warn("Handoff {} was decided but its lead {} left MQL meanwhile; the lead keeps its stage",
					decided.id(), decided.leadId());
		}
		places.release(decided);
		mongo.updateFirst(Query.query(Criteria.where("_id").is(decided.id()).and("timerAt").is(timer)),
				new Update().unset("timerAt"), Handoff.class);
	}

	private static Handover handover(Handoff decided) {
		String actor = Objects.requireNonNull(decided.decidedBy());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("handoffId", decided.id());
		payload.put("repId", decided.repId());
		if (decided.status() == HandoffStatus.ACCEPTED) {
			payload.put("firstTouchAt", String.valueOf(decided.firstTouchAt()));
			payload.put("sla", decided.sla().name());
			return new Handover(decided.leadId(), Stage.MQL, null, Stage.SQL, "Accepted by " + actor,
					new LeadEventDraft(decided.id() + ":accepted", HandoffEvents.ACCEPTED, actor, payload));
		}
		RejectionReason reason = Objects.requireNonNull(decided.rejectionReason());
		Stage to = stageAfter(reason);
		String note = decided.rejectionNote();
		payload.put("reason", reason.name());
		payload.put("note", note);
		payload.put("to", to.name());
		payload.put("sla", decided.sla().name());
		payload.put("engagementReset", decided.engagementReset());
		return new Handover(decided.leadId(), Stage.MQL, null, to,
				"Rejected by sales: " + reason + (note == null ? "" : " (" + note + ")"), decided.engagementReset(),
				new LeadEventDraft(decided.id() + ":rejected", HandoffEvents.REJECTED, actor, payload));
	}
}
