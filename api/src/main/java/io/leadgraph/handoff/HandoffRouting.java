package io.leadgraph.handoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadScore;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.event.LeadEvent;
import io.leadgraph.scoring.LeadConditions;
import io.leadgraph.scoring.LeadConditions.Trigger;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointService;
import io.leadgraph.support.UnorderedInserts;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Routes MQL moves: one handoff per move (its event id is the handoff's unique key, so routing the
 * same move again makes nothing), to the first rep available under the first matching rule, or to
 * the fallback queue. The rep's owner-ship and the HANDOFF_ASSIGNED event are written to the lead
 * after the handoff exists; a crash between the two is finished by the handoff's timer.
 */
@Component
class HandoffRouting {

	static final String ACTOR = "system:routing";

	/** When a handoff's own writes are not confirmed by then, its timer finishes them. */
	static final Duration FINISH_AFTER = Duration.ofSeconds(30);

	private final Handoffs handoffs;

	private final RepPlaces places;

	private final RoutingRules rules;

	private final HandoffAssignments assignments;

	private final SalesReps reps;

	private final LeadService leads;

	private final TouchpointService touchpoints;

	private final MongoTemplate mongo;

	private final HandoffSettings settings;

	private final Clock clock;

	HandoffRouting(Handoffs handoffs, RepPlaces places, RoutingRules rules, HandoffAssignments assignments,
			SalesReps reps, LeadService leads, TouchpointService touchpoints, MongoTemplate mongo,
			HandoffSettings settings, Clock clock) {
		this.places = places;
		this.rules = rules;
		this.assignments = assignments;
		this.touchpoints = touchpoints;
		this.handoffs = handoffs;
		this.reps = reps;
		this.leads = leads;
		this.mongo = mongo;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * A lead's move to MQL, as the event log has it.
	 *
	 * @param triggerId the touchpoint that made the lead MQL (scoring names it), or null
	 */
	record MqlMove(String eventId, String leadId, Instant at, @Nullable String triggerId) {

		static MqlMove of(LeadEvent event) {
			Object trigger = event.payload().get("trigger");
			return new MqlMove(event.eventId(), event.leadId(), event.occurredAt(),
					trigger instanceof Map<?, ?> cause && cause.get("touchpointId") instanceof String id ? id : null);
		}
	}

	/**
	 * Routes the moves not routed yet (in order); returns the handoffs made. With {@code justAppended}
	 * (the moves' events reached the log a moment ago) the check for handoffs already made is left to
	 * the unique key: a move seen twice then costs a turn, but speed to lead saves a read.
	 */
	List<Handoff> route(List<MqlMove> moves, boolean justAppended) {
		List<RoutingRule> active = rules.active();
		if (active.isEmpty() || moves.isEmpty()) {
			return List.of(); // routing is off until a rule exists
		}
		List<MqlMove> fresh = moves;
		if (!justAppended) {
			Set<String> routed = handoffs.findByMqlEventIdIn(moves.stream().map(MqlMove::eventId).toList())
				.stream()
				.map(Handoff::mqlEventId)
				.collect(Collectors.toSet());
			fresh = moves.stream().filter(move -> !routed.contains(move.eventId())).toList();
		}
		if (fresh.isEmpty()) {
			return List.of();
		}
		Map<String, Lead> byId = new HashMap<>();
		leads.leadsById(fresh.stream().map(MqlMove::leadId).distinct().toList()).forEach(l -> byId.put(l.id(), l));
		Map<String, SalesRep> repsById = repsOf(active);
		Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions = conditions(active);
		Map<String, List<SalesRep>> cycles = new HashMap<>();
		Map<String, Touchpoint> triggers = new HashMap<>();
		List<String> triggerIds = fresh.stream().map(MqlMove::triggerId).filter(Objects::nonNull).distinct().toList();
		if (!triggerIds.isEmpty()) {
			touchpoints.touchpoints(triggerIds).forEach(touchpoint -> triggers.put(touchpoint.id(), touchpoint));
		}
		List<Handoff> made = new ArrayList<>();
		for (MqlMove move : fresh) {
			Lead lead = byId.get(move.leadId());
			if (lead == null || lead.stage() != Stage.MQL) {
				continue; // merged, deleted or moved on before routing: nothing to hand off
			}
			Touchpoint cause = move.triggerId() == null ? null : triggers.get(move.triggerId());
			made.add(assign(new Routing(move.eventId(), move.at(), null, null, trigger(cause)), lead, conditions,
					repsById, cycles));
		}
		List<Handoff> inserted = insert(made);
		assignments.finish(inserted);
		return inserted;
	}

	/**
	 * A new handoff for one whose SLA was breached: the next available rep of its rule other than the
	 * breached one, or the queue. Idempotent: the new handoff is keyed by the breached one's id.
	 */
	void reassign(Handoff breached) {
		String key = breached.id() + ":reassigned";
		List<Handoff> existing = handoffs.findByMqlEventIdIn(List.of(key));
		if (!existing.isEmpty()) {
			assignments.finish(existing);
			return;
		}
		Lead lead = leads.leadsById(List.of(breached.leadId())).stream().findFirst().orElse(null);
		RoutingRule rule = breached.ruleId() == null ? null : mongo.findById(breached.ruleId(), RoutingRule.class);
		if (lead == null || lead.stage() != Stage.MQL) {
			return;
		}
		Map<String, SalesRep> repsById = rule == null ? Map.of() : repsOf(List.of(rule));
		Map<RoutingRule, BiPredicate<Lead, Trigger>> only = new LinkedHashMap<>();
		if (rule != null && rule.active()) {
			only.put(rule, (any, trigger) -> true);
		}
		Trigger trigger = new Trigger(null, null, breached.campaignId());
		Handoff next = assign(new Routing(key, breached.qualifiedAt(), breached.id(), breached.repId(), trigger), lead,
				only, repsById, new HashMap<>());
		assignments.finish(insert(List.of(next)));
	}

	/**
	 * What one routing is for: its unique key (the MQL move's event id, or the breached handoff's id
	 * for a reassignment), when the lead qualified, and the handoff and rep it replaces.
	 */
	private record Routing(String key, Instant qualifiedAt, @Nullable String previousHandoffId,
			@Nullable String excludedRep, Trigger trigger) {
	}

	private static Trigger trigger(@Nullable Touchpoint cause) {
		return cause == null ? Trigger.NONE : new Trigger(cause.type().name(), cause.channel().name(),
				cause.campaign() == null ? null : cause.campaign().id());
	}

	/** The reps of the rules' pools, by id (a mutable map: claims made in a batch count in it). */
	private Map<String, SalesRep> repsOf(List<RoutingRule> routing) {
		Map<String, SalesRep> byId = new HashMap<>();
		reps.findAllById(routing.stream().flatMap(rule -> rule.pool().stream()).distinct().toList())
			.forEach(rep -> byId.put(rep.id(), rep));
		return byId;
	}

	private static Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions(List<RoutingRule> active) {
		Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions = new LinkedHashMap<>();
		active.forEach(rule -> conditions.put(rule,
				rule.when() == null ? (lead, trigger) -> true : LeadConditions.compile(rule.when())));
		return conditions;
	}

	/**
	 * The first rep available under the first matching rule, or the queue. A claim counts at once in
	 * {@code repsById}, so LEAST_LOADED sees the batch's earlier assignments.
	 */
	private Handoff assign(Routing routing, Lead lead, Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions,
			Map<String, SalesRep> repsById, Map<String, List<SalesRep>> cycles) {
		Instant now = clock.instant();
		for (var rule : conditions.entrySet()) {
			if (!rule.getValue().test(lead, routing.trigger())) {
				continue;
			}
			long turn = places.takeTurn(rule.getKey().id());
			for (SalesRep rep : RepChoice.order(rule.getKey(), turn, repsById, lead, now, cycles)) {
				if (!rep.id().equals(routing.excludedRep()) && places.claim(rep)) {
					repsById.put(rep.id(), rep.withOneMoreOpen());
					return assigned(routing, lead, rule.getKey(), rep, now);
				}
			}
		}
		return queued(routing, lead, now);
	}

	private Handoff assigned(Routing routing, Lead lead, RoutingRule rule, SalesRep rep, Instant now) {
		BusinessCalendar calendar = rep.calendar();
		Duration window = rule.responseWindow();
		Instant atRisk = calendar.plus(now, Duration.ofMillis((long) (window.toMillis() * settings.atRiskShare())));
		return new Handoff(new ObjectId().toHexString(), routing.key(), lead.id(), rep.id(), rep.name(), rep.team(),
				rule.id(), null, HandoffStatus.PENDING, lead.source().name(), routing.trigger().campaignId(),
				policyVersion(lead.score()),
				routing.qualifiedAt(), now, window.toSeconds(), atRisk, calendar.plus(now, window), SlaStatus.ON_TRACK,
				null, null, null, null, null, false, routing.previousHandoffId(), false, now.plus(FINISH_AFTER));
	}

	/** The fallback queue's SLA runs from qualification, around the clock, with the default window. */
	private Handoff queued(Routing routing, Lead lead, Instant now) {
		Duration window = settings.defaultResponseWindow();
		Instant from = routing.previousHandoffId() == null ? routing.qualifiedAt() : now;
		Instant atRisk = from.plusMillis((long) (window.toMillis() * settings.atRiskShare()));
		return new Handoff(new ObjectId().toHexString(), routing.key(), lead.id(), null, null, null, null,
				Handoff.FALLBACK_QUEUE, HandoffStatus.QUEUED, lead.source().name(), routing.trigger().campaignId(),
				policyVersion(lead.score()),
				routing.qualifiedAt(), now, window.toSeconds(), atRisk, from.plus(window), SlaStatus.ON_TRACK, null,
				null, null, null, null, false, routing.previousHandoffId(), true, now.plus(FINISH_AFTER));
	}

	private static @Nullable String policyVersion(@Nullable LeadScore score) {
		return score == null ? null : score.policyId() + "@" + score.policyVersion();
	}

	/** Inserts the handoffs; one another router made first for the same move gives its claim back. */
	private List<Handoff> insert(List<Handoff> made) {
		if (made.isEmpty()) {
			return made;
		}
		Set<Integer> refused = new HashSet<>(UnorderedInserts.insert(mongo, Handoff.class, made));
		List<Handoff> inserted = new ArrayList<>();
		for (int i = 0; i < made.size(); i++) {
			if (refused.contains(i)) {
				places.giveBack(made.get(i).repId());
			}
			else {
				inserted.add(made.get(i));
			}
		}
		return inserted;
	}

	/**
	 * Tries again to give a queued handoff to a rep (someone may be back, or below capacity now): the
	 * same rules, in place, with a fresh SLA from now. True when it found one.
	 */
	boolean routeQueued(Handoff queued) {
		Lead lead = leads.leadsById(List.of(queued.leadId())).stream().findFirst().orElse(null);
		if (lead == null || lead.stage() != Stage.MQL) {
			assignments.close(queued);
			return false;
		}
		List<RoutingRule> active = rules.active();
		Map<String, SalesRep> repsById = repsOf(active);
		Handoff found = assign(new Routing(queued.mqlEventId(), queued.qualifiedAt(), null, null,
				new Trigger(null, null, queued.campaignId())), lead, conditions(active), repsById, new HashMap<>());
		if (found.status() != HandoffStatus.PENDING) {
			return false;
		}
		var assigned = mongo.updateFirst(
				Query.query(Criteria.where("_id").is(queued.id()).and("status").is(HandoffStatus.QUEUED)),
				new Update().set("status", HandoffStatus.PENDING)
					.set("repId", found.repId())
					.set("repName", found.repName())
					.set("team", found.team())
					.set("ruleId", found.ruleId())
					.unset("queue")
					.set("assignedAt", found.assignedAt())
					.set("responseWindowSeconds", found.responseWindowSeconds())
					.set("atRiskAt", found.atRiskAt())
					.set("dueAt", found.dueAt())
					.set("sla", SlaStatus.ON_TRACK)
					.set("released", false)
					.set("timerAt", found.timerAt()),
				Handoff.class);
		if (assigned.getModifiedCount() != 1) {
			places.giveBack(found.repId());
			return false;
		}
		assignments.finish(handoffs.findById(queued.id()).stream().toList());
		return true;
	}

}
