package io.leadgraph.handoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.lead.Handover;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.security.SystemCaller;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fires handoffs' timers: SLA_AT_RISK at the at-risk moment, SLA_BREACHED at the due moment (and the
 * reassignment, when the rule asks for it), offering queued handoffs to the reps again, and finishing
 * writes a crash interrupted. Runs on every
 * instance; a firing is claimed by moving the timer {@link #LEASE} ahead with a compare-and-set, so
 * one instance fires it, and another takes over if that one dies. Events have ids derived from the
 * handoff, and state changes are compare-and-set, so a firing repeated after a crash changes nothing
 * twice.
 */
@Component
class HandoffTimers {

	private static final Logger log = LoggerFactory.getLogger(HandoffTimers.class);

	static final String ACTOR = "system:sla";

	static final Duration LEASE = Duration.ofSeconds(30);

	private static final int BATCH = 100;

	/** Reps whose counter differed from their handoffs at the last check, with the counter then. */
	private final Map<String, Integer> drifts = new java.util.concurrent.ConcurrentHashMap<>();

	private final MongoTemplate mongo;

	private final HandoffRouting routing;

	private final HandoffDecisions decisions;

	private final HandoffAssignments assignments;

	private final RepPlaces places;

	private final LeadService leads;

	private final HandoffSettings settings;

	private final Clock clock;

	HandoffTimers(MongoTemplate mongo, HandoffRouting routing, HandoffDecisions decisions,
			HandoffAssignments assignments, RepPlaces places, LeadService leads, HandoffSettings settings, Clock clock) {
		this.assignments = assignments;
		this.places = places;
		this.settings = settings;
		this.mongo = mongo;
		this.routing = routing;
		this.decisions = decisions;
		this.leads = leads;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.handoff.timer-interval:1s}",
			initialDelayString = "${leadgraph.handoff.timer-interval:1s}")
	void fireDue() {
		try {
			SystemCaller.runAs(ACTOR, this::fireAll);
		}
		catch (RuntimeException ex) {
			log.warn("Handoff timers failed, retrying: {}", ex.toString());
		}
	}

	private void fireAll() {
		Instant now = clock.instant();
		List<Handoff> due = mongo.find(
				Query.query(Criteria.where("timerAt").lte(now)).with(Sort.by("timerAt")).limit(BATCH), Handoff.class);
		for (Handoff handoff : due) {
			Instant lease = claim(handoff, now);
			if (lease != null) {
				try {
					fire(handoff, now, lease);
				}
				catch (RuntimeException ex) {
					log.warn("Timer of handoff {} failed; it fires again after its lease: {}", handoff.id(), ex.toString());
				}
			}
		}
	}

	/**
	 * Repairs reps' {@code openHandoffs} counters: each must equal the rep's handoffs whose place is
	 * not given back ({@code released} false). A crash between taking a place and inserting the
	 * handoff, or between flipping {@code released} and giving the place back, leaves a difference;
	 * one seen twice in a row with the counter unchanged is no assignment in flight, and is set right
	 * (compare-and-set on the counter as seen).
	 */
	@Scheduled(fixedDelayString = "${leadgraph.handoff.load-check-interval:1m}",
			initialDelayString = "${leadgraph.handoff.load-check-interval:1m}")
	void checkLoads() {
		try {
			SystemCaller.runAs(ACTOR, this::reconcileLoads);
		}
		catch (RuntimeException ex) {
			log.warn("Checking reps' open handoffs failed, retrying: {}", ex.toString());
		}
	}

	private void reconcileLoads() {
		for (SalesRep rep : mongo.find(new Query().with(Sort.by("id")), SalesRep.class)) {
			long held = mongo.count(Query.query(Criteria.where("repId").is(rep.id()).and("released").is(false)),
					Handoff.class);
			if (held == rep.openHandoffs()) {
				drifts.remove(rep.id());
				continue;
			}
			Integer seen = drifts.put(rep.id(), rep.openHandoffs());
			if (seen != null && seen == rep.openHandoffs()) {
				mongo.updateFirst(Query.query(Criteria.where("_id").is(rep.id()).and("openHandoffs").is(rep.openHandoffs())),
						new Update().set("openHandoffs", held), SalesRep.class);
				drifts.remove(rep.id());
				log.info("Rep {} held {} places for {} open handoffs; set right", rep.id(), rep.openHandoffs(), held);
			}
		}
	}

	/** Claims the firing: moves the timer a lease ahead; the new value is the lease every later write checks. */
	private @Nullable Instant claim(Handoff handoff, Instant now) {
		Instant lease = now.plus(LEASE);
		boolean won = mongo.updateFirst(
				Query.query(Criteria.where("_id").is(handoff.id()).and("timerAt").is(handoff.timerAt())),
				new Update().set("timerAt", lease), Handoff.class).getModifiedCount() == 1;
		return won ? lease : null;
	}

	private void fire(Handoff handoff, Instant now, Instant lease) {
		switch (handoff.status()) {
			case ACCEPTED, REJECTED -> decisions.apply(handoff, lease);
			case REASSIGNED -> {
				routing.reassign(handoff);
				places.release(handoff);
				setTimer(handoff, lease, null);
			}
			case CLOSED -> {
				places.release(handoff);
				setTimer(handoff, lease, null);
			}
			case PENDING, QUEUED -> sla(handoff, now, lease);
		}
	}

	/** The SLA's next step, from the handoff's state and the time. */
	private void sla(Handoff handoff, Instant now, Instant lease) {
		assignments.finish(List.of(handoff)); // the assignment reached the lead (a no-op unless a crash interrupted it)
		if (handoff.status() == HandoffStatus.QUEUED && routing.routeQueued(handoff)) {
			return; // a rep has it now, with a fresh SLA and timer
		}
		Instant atRisk = java.util.Objects.requireNonNull(handoff.atRiskAt());
		Instant due = java.util.Objects.requireNonNull(handoff.dueAt());
		if (handoff.firstTouchAt() != null) {
			setTimer(handoff, lease, null);
		}
		else if (now.isBefore(atRisk)) {
			setTimer(handoff, lease, retry(handoff, now, atRisk));
		}
		else if (now.isBefore(due)) {
			// the state first, then the event (its id is fixed): a crash between them is finished by the next firing
			if ((changeSla(handoff, SlaStatus.ON_TRACK, SlaStatus.AT_RISK) || handoff.sla() == SlaStatus.AT_RISK)
					&& !record(handoff, HandoffEvents.AT_RISK, "at-risk")) {
				return;
			}
			setTimer(handoff, lease, retry(handoff, now, due));
		}
		else {
			boolean breached = changeSla(handoff, SlaStatus.ON_TRACK, SlaStatus.BREACHED)
					|| changeSla(handoff, SlaStatus.AT_RISK, SlaStatus.BREACHED) || handoff.sla() == SlaStatus.BREACHED;
			if (breached && !record(handoff, HandoffEvents.BREACHED, "breached")) {
				return;
			}
			RoutingRule rule = handoff.ruleId() == null ? null : mongo.findById(handoff.ruleId(), RoutingRule.class);
			if (breached && handoff.status() == HandoffStatus.PENDING && rule != null && rule.reassignOnBreach()
					&& toReassigned(handoff, now)) {
				routing.reassign(handoff);
				places.release(handoff);
			}
			// a queued lead keeps being offered to the reps; a rep's breached handoff waits for their decision
			setTimer(handoff, lease, handoff.status() == HandoffStatus.QUEUED ? now.plus(settings.queueRetry()) : null);
		}
	}

	/** A queued handoff is offered to the reps again at least every {@code queue-retry}. */
	private Instant retry(Handoff handoff, Instant now, Instant next) {
		Instant retry = now.plus(settings.queueRetry());
		return handoff.status() == HandoffStatus.QUEUED && retry.isBefore(next) ? retry : next;
	}

	/**
	 * Records an SLA event on the lead; false when the lead left MQL meanwhile, in which case the
	 * handoff is closed instead.
	 */
	private boolean record(Handoff handoff, String type, String suffix) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("handoffId", handoff.id());
		payload.put("repId", handoff.repId());
		payload.put("queue", handoff.queue());
		payload.put("atRiskAt", String.valueOf(handoff.atRiskAt()));
		payload.put("dueAt", String.valueOf(handoff.dueAt()));
		var outcome = leads.handOver(List.of(new Handover(handoff.leadId(), Stage.MQL, null, null, null,
				new LeadEventDraft(handoff.id() + ":" + suffix, type, ACTOR, payload))))
			.values()
			.iterator()
			.next();
		if (outcome == Handover.Outcome.WRONG_STAGE || outcome == Handover.Outcome.NOT_FOUND) {
			assignments.close(handoff);
			return false;
		}
		return true;
	}

	/** From one SLA state to another, unless the rep touched the lead or decided meanwhile. */
	private boolean changeSla(Handoff handoff, SlaStatus from, SlaStatus to) {
		return mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id())
			.and("status").is(handoff.status())
			.and("sla").is(from)
			.and("firstTouchAt").isNull()), new Update().set("sla", to), Handoff.class).getModifiedCount() == 1;
	}

	/** Takes the handoff from its rep, unless they touched the lead or decided meanwhile. */
	private boolean toReassigned(Handoff handoff, Instant now) {
		return mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id())
			.and("status").is(HandoffStatus.PENDING)
			.and("firstTouchAt").isNull()), new Update().set("status", HandoffStatus.REASSIGNED)
				.set("decidedAt", now)
				.set("decidedBy", ACTOR), Handoff.class).getModifiedCount() == 1;
	}

	/** Moves the timer on, only while this firing's lease is the timer (a decision meanwhile set its own). */
	private void setTimer(Handoff handoff, Instant lease, @Nullable Instant at) {
		Update update = at == null ? new Update().unset("timerAt") : new Update().set("timerAt", at);
		mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id()).and("timerAt").is(lease)), update,
				Handoff.class);
	}
}
