package io.leadgraph.handoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.lead.Handover;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Owner;
import io.leadgraph.lead.Stage;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The lead's side of a handoff made or ended without a decision: the new owner with HANDOFF_ASSIGNED
 * (or HANDOFF_QUEUED, after HANDOFF_REASSIGNED for a reassignment), and closing handoffs whose lead
 * left MQL another way. Idempotent by event id, so a timer can finish what a crash interrupted.
 */
@Component
class HandoffAssignments {

	private static final Logger log = LoggerFactory.getLogger(HandoffAssignments.class);

	private final LeadService leads;

	private final RepPlaces places;

	private final MongoTemplate mongo;

	private final HandoffSettings settings;

	private final Clock clock;

	HandoffAssignments(LeadService leads, RepPlaces places, MongoTemplate mongo, HandoffSettings settings,
			Clock clock) {
		this.leads = leads;
		this.places = places;
		this.mongo = mongo;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Writes each handoff's owner change and event to its lead, then moves its timer on to the SLA
	 * (unless a timer firing holds it). Also finishes handoffs whose first attempt was interrupted
	 * (idempotent).
	 */
	void finish(List<Handoff> made) {
		if (made.isEmpty()) {
			return;
		}
		Map<Handover, Handoff> byHandover = new LinkedHashMap<>();
		List<Handover> handovers = new ArrayList<>();
		for (Handoff handoff : made) {
			if (handoff.previousHandoffId() != null) {
				handovers.add(reassigned(handoff));
			}
			Handover handover = handover(handoff);
			byHandover.put(handover, handoff);
			handovers.add(handover);
		}
		Map<Handover, Handover.Outcome> outcomes = leads.handOver(handovers);
		BulkOperations timers = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Handoff.class);
		int writes = 0;
		for (var entry : byHandover.entrySet()) {
			Handoff handoff = entry.getValue();
			switch (outcomes.get(entry.getKey())) {
				case APPLIED, ALREADY_APPLIED -> {
					// only the timer this routing set: one a timer firing holds (its lease) stays the timer's
					timers.updateOne(Query.query(Criteria.where("_id").is(handoff.id())
						.and("status").is(handoff.status())
						.and("timerAt").is(handoff.timerAt())), new Update().set("timerAt", firstTimer(handoff)));
					writes++;
				}
				case WRONG_STAGE, NOT_FOUND -> {
					// the lead left MQL between routing and this write: the handoff has nothing to hand over
					close(handoff);
				}
				case null -> log.warn("No outcome for handoff {}", handoff.id());
			}
		}
		if (writes > 0) {
			timers.execute();
		}
	}

	/** A rep's handoff waits for its at-risk moment; a queued one is offered to the reps again sooner. */
	private Instant firstTimer(Handoff handoff) {
		Instant atRisk = Objects.requireNonNull(handoff.atRiskAt());
		Instant retry = handoff.assignedAt().plus(settings.queueRetry());
		return handoff.status() == HandoffStatus.QUEUED && retry.isBefore(atRisk) ? retry : atRisk;
	}

	private Handover handover(Handoff handoff) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("handoffId", handoff.id());
		payload.put("previousHandoffId", handoff.previousHandoffId());
		payload.put("qualifiedAt", handoff.qualifiedAt().toString());
		payload.put("assignedAt", handoff.assignedAt().toString());
		payload.put("dueAt", String.valueOf(handoff.dueAt()));
		payload.put("responseWindow", Duration.ofSeconds(handoff.responseWindowSeconds()).toString());
		payload.put("routingLatencyMs", Duration.between(handoff.qualifiedAt(), handoff.assignedAt()).toMillis());
		if (handoff.status() == HandoffStatus.QUEUED) {
			payload.put("queue", handoff.queue());
			return new Handover(handoff.leadId(), Stage.MQL, null, null, null,
					new LeadEventDraft(handoff.id() + ":queued", HandoffEvents.QUEUED, HandoffRouting.ACTOR, payload));
		}
		payload.put("repId", handoff.repId());
		payload.put("repName", handoff.repName());
		payload.put("team", handoff.team());
		payload.put("ruleId", handoff.ruleId());
		payload.put("campaignId", handoff.campaignId());
		return new Handover(handoff.leadId(), Stage.MQL, new Owner(Objects.requireNonNull(handoff.repId()),
				handoff.repName()), null, null,
				new LeadEventDraft(handoff.id() + ":assigned", HandoffEvents.ASSIGNED, HandoffRouting.ACTOR, payload));
	}

	/** The event that tells a reassignment, recorded before the new handoff's own. */
	private static Handover reassigned(Handoff next) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("handoffId", next.previousHandoffId());
		payload.put("newHandoffId", next.id());
		payload.put("newRepId", next.repId());
		return new Handover(next.leadId(), Stage.MQL, null, null, null,
				new LeadEventDraft(next.previousHandoffId() + ":reassigned", HandoffEvents.REASSIGNED, HandoffRouting.ACTOR, payload));
	}

	/**
	 * Closes a handoff whose lead left MQL another way. Its timer is due at once: it frees the rep's
	 * place again should this instance die before it does.
	 */
	void close(Handoff handoff) {
		var closed = mongo.updateFirst(
				Query.query(Criteria.where("_id").is(handoff.id()).and("status").is(handoff.status())),
				new Update().set("status", HandoffStatus.CLOSED).set("sla", SlaStatus.NONE).set("timerAt", clock.instant()),
				Handoff.class);
		if (closed.getModifiedCount() == 1) {
			places.release(handoff);
		}
	}

	/** Closes the open (PENDING or QUEUED) handoffs of leads that left MQL other than by a decision. */
	void closeOpen(List<String> leadIds) {
		mongo.find(Query.query(Criteria.where("leadId").in(leadIds)
			.and("status").in(HandoffStatus.PENDING, HandoffStatus.QUEUED)), Handoff.class).forEach(this::close);
	}

}
