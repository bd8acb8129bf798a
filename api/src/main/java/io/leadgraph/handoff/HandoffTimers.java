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
 * reassignment, when the rule asks for it), and finishing writes a crash interrupted. Runs on every
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

	private final MongoTemplate mongo;

	private final HandoffRouting routing;

	private final HandoffDecisions decisions;

	private final LeadService leads;

	private final Clock clock;

	HandoffTimers(MongoTemplate mongo, HandoffRouting routing, HandoffDecisions decisions, LeadService leads,
			Clock clock) {
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
			if (claim(handoff, now)) {
				try {
					fire(handoff, now);
				}
				catch (RuntimeException ex) {
					log.warn("Timer of handoff {} failed; it fires again after its lease: {}", handoff.id(), ex.toString());
				}
			}
		}
	}

	private boolean claim(Handoff handoff, Instant now) {
		return mongo.updateFirst(
				Query.query(Criteria.where("_id").is(handoff.id()).and("timerAt").is(handoff.timerAt())),
				new Update().set("timerAt", now.plus(LEASE)), Handoff.class).getModifiedCount() == 1;
	}

	private void fire(Handoff handoff, Instant now) {
		switch (handoff.status()) {
			case ACCEPTED, REJECTED -> decisions.apply(handoff);
			case REASSIGNED -> {
				routing.reassign(handoff);
				routing.release(handoff);
				setTimer(handoff, null);
			}
			case CLOSED -> {
				routing.release(handoff);
				setTimer(handoff, null);
			}
			case PENDING, QUEUED -> sla(handoff, now);
		}
	}

	/** The SLA's next step, from the handoff's state and the time. */
	private void sla(Handoff handoff, Instant now) {
		routing.finish(List.of(handoff)); // the assignment reached the lead (a no-op unless a crash interrupted it)
		Instant atRisk = java.util.Objects.requireNonNull(handoff.atRiskAt());
		Instant due = java.util.Objects.requireNonNull(handoff.dueAt());
		if (handoff.firstTouchAt() != null) {
			setTimer(handoff, null);
		}
		else if (now.isBefore(atRisk)) {
			setTimer(handoff, atRisk);
		}
		else if (now.isBefore(due)) {
			if (handoff.sla() == SlaStatus.ON_TRACK && record(handoff, HandoffEvents.AT_RISK, "at-risk", now)) {
				setSla(handoff, SlaStatus.AT_RISK);
			}
			setTimer(handoff, due);
		}
		else {
			RoutingRule rule = handoff.ruleId() == null ? null : mongo.findById(handoff.ruleId(), RoutingRule.class);
			boolean reassign = handoff.status() == HandoffStatus.PENDING && rule != null && rule.reassignOnBreach();
			if (handoff.sla() == SlaStatus.ON_TRACK || handoff.sla() == SlaStatus.AT_RISK) {
				if (!record(handoff, HandoffEvents.BREACHED, "breached", now)) {
					return;
				}
				setSla(handoff, SlaStatus.BREACHED);
			}
			if (reassign && toReassigned(handoff, now)) {
				routing.reassign(handoff);
				routing.release(handoff);
			}
			setTimer(handoff, null);
		}
	}

	/**
	 * Records an SLA event on the lead; false when the lead left MQL meanwhile, in which case the
	 * handoff is closed instead.
	 */
	private boolean record(Handoff handoff, String type, String suffix, Instant now) {
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
			routing.close(handoff);
			return false;
		}
		return true;
	}

	private void setSla(Handoff handoff, SlaStatus sla) {
		mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id()).and("firstTouchAt").isNull()),
				new Update().set("sla", sla), Handoff.class);
	}

	private boolean toReassigned(Handoff handoff, Instant now) {
		return mongo.updateFirst(
				Query.query(Criteria.where("_id").is(handoff.id()).and("status").is(HandoffStatus.PENDING)),
				new Update().set("status", HandoffStatus.REASSIGNED).set("decidedAt", now).set("decidedBy", ACTOR)
					.set("timerAt", now.plus(LEASE)),
				Handoff.class).getModifiedCount() == 1;
	}

	private void setTimer(Handoff handoff, @Nullable Instant at) {
		Update update = at == null ? new Update().unset("timerAt") : new Update().set("timerAt", at);
		mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id())), update, Handoff.class);
	}
}
