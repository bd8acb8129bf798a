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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.lead.Handover;
import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadScore;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Owner;
import io.leadgraph.lead.Stage;
import io.leadgraph.event.LeadEvent;
import io.leadgraph.scoring.LeadConditions;
import io.leadgraph.scoring.LeadConditions.Trigger;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointService;
import io.leadgraph.support.UnorderedInserts;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
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

	private static final Logger log = LoggerFactory.getLogger(HandoffRouting.class);

	static final String ACTOR = "system:routing";

	/** When a handoff's own writes are not confirmed by then, its timer finishes them. */
	static final Duration FINISH_AFTER = Duration.ofSeconds(30);

	private static final Duration RULES_TTL = Duration.ofSeconds(1);

	private final Map<String, Long> lastTurns = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile @Nullable CachedRules rulesRead;

	private final Handoffs handoffs;

	private final SalesReps reps;

	private final LeadService leads;

	private final TouchpointService touchpoints;

	private final MongoTemplate mongo;

	private final HandoffSettings settings;

	private final Clock clock;

	HandoffRouting(Handoffs handoffs, SalesReps reps, LeadService leads, TouchpointService touchpoints,
			MongoTemplate mongo, HandoffSettings settings, Clock clock) {
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
		List<RoutingRule> rules = activeRules();
		if (rules.isEmpty() || moves.isEmpty()) {
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
		Map<String, SalesRep> repsById = repsOf(rules);
		Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions = conditions(rules);
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
		finish(inserted);
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
			finish(existing);
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
		finish(insert(List.of(next)));
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
	private Map<String, SalesRep> repsOf(List<RoutingRule> rules) {
		Map<String, SalesRep> byId = new HashMap<>();
		reps.findAllById(rules.stream().flatMap(rule -> rule.pool().stream()).distinct().toList())
			.forEach(rep -> byId.put(rep.id(), rep));
		return byId;
	}

	private static Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions(List<RoutingRule> rules) {
		Map<RoutingRule, BiPredicate<Lead, Trigger>> conditions = new LinkedHashMap<>();
		rules.forEach(rule -> conditions.put(rule,
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
			long turn = takeTurn(rule.getKey().id());
			for (SalesRep rep : RepChoice.order(rule.getKey(), turn, repsById, lead, now, cycles)) {
				if (!rep.id().equals(routing.excludedRep()) && claim(rep)) {
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
				giveBack(made.get(i).repId());
			}
			else {
				inserted.add(made.get(i));
			}
		}
		return inserted;
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
		Instant atRisk = java.util.Objects.requireNonNull(handoff.atRiskAt());
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
					new LeadEventDraft(handoff.id() + ":queued", HandoffEvents.QUEUED, ACTOR, payload));
		}
		payload.put("repId", handoff.repId());
		payload.put("repName", handoff.repName());
		payload.put("team", handoff.team());
		payload.put("ruleId", handoff.ruleId());
		payload.put("campaignId", handoff.campaignId());
		return new Handover(handoff.leadId(), Stage.MQL, new Owner(java.util.Objects.requireNonNull(handoff.repId()),
				handoff.repName()), null, null,
				new LeadEventDraft(handoff.id() + ":assigned", HandoffEvents.ASSIGNED, ACTOR, payload));
	}

	/** The event that tells a reassignment, recorded before the new handoff's own. */
	private static Handover reassigned(Handoff next) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("handoffId", next.previousHandoffId());
		payload.put("newHandoffId", next.id());
		payload.put("newRepId", next.repId());
		return new Handover(next.leadId(), Stage.MQL, null, null, null,
				new LeadEventDraft(next.previousHandoffId() + ":reassigned", HandoffEvents.REASSIGNED, ACTOR, payload));
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
			release(handoff);
		}
	}

	/** Closes the open (PENDING or QUEUED) handoffs of leads that left MQL other than by a decision. */
	void closeOpen(List<String> leadIds) {
		mongo.find(Query.query(Criteria.where("leadId").in(leadIds)
			.and("status").in(HandoffStatus.PENDING, HandoffStatus.QUEUED)), Handoff.class).forEach(this::close);
	}

	/**
	 * Tries again to give a queued handoff to a rep (someone may be back, or below capacity now): the
	 * same rules, in place, with a fresh SLA from now. True when it found one.
	 */
	boolean routeQueued(Handoff queued) {
		Lead lead = leads.leadsById(List.of(queued.leadId())).stream().findFirst().orElse(null);
		if (lead == null || lead.stage() != Stage.MQL) {
			close(queued);
			return false;
		}
		List<RoutingRule> rules = activeRules();
		Map<String, SalesRep> repsById = repsOf(rules);
		Handoff found = assign(new Routing(queued.mqlEventId(), queued.qualifiedAt(), null, null,
				new Trigger(null, null, queued.campaignId())), lead, conditions(rules), repsById, new HashMap<>());
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
			giveBack(found.repId());
			return false;
		}
		finish(handoffs.findById(queued.id()).stream().toList());
		return true;
	}

	/** The rules in the order they are tried (a small, admin-made list: one read). */
	List<RoutingRule> rules() {
		return mongo.find(new Query().with(Sort.by("position", "id")), RoutingRule.class);
	}

	/**
	 * The active rules, read at most once a second: a rule saved on this instance applies at once
	 * ({@link #forgetRules}), one saved on another within a second.
	 */
	private List<RoutingRule> activeRules() {
		CachedRules cached = rulesRead;
		if (cached == null || System.nanoTime() - cached.readAt() > RULES_TTL.toNanos()) {
			cached = new CachedRules(rules().stream().filter(RoutingRule::active).toList(), System.nanoTime());
			rulesRead = cached;
		}
		return cached.rules();
	}

	void forgetRules() {
		rulesRead = null;
	}

	private record CachedRules(List<RoutingRule> rules, long readAt) {
	}

	/**
	 * The rule's next turn, taken by compare-and-set: each number goes to exactly one routing. The
	 * value this instance last saw is tried first, so a lone router takes a turn in one write.
	 */
	long takeTurn(String ruleId) {
		Long expected = lastTurns.get(ruleId);
		while (true) {
			if (expected == null) {
				RoutingTurn turn = mongo.findById(ruleId, RoutingTurn.class);
				if (turn == null) {
					mongo.upsert(Query.query(Criteria.where("_id").is(ruleId)), new Update().setOnInsert("next", 0L),
							RoutingTurn.class);
					continue;
				}
				expected = turn.next();
			}
			var taken = mongo.updateFirst(Query.query(Criteria.where("_id").is(ruleId).and("next").is(expected)),
					new Update().set("next", expected + 1), RoutingTurn.class);
			if (taken.getModifiedCount() == 1) {
				lastTurns.put(ruleId, expected + 1);
				return expected;
			}
			expected = null;
		}
	}

	/** One more open handoff for the rep, unless that would pass their capacity or they left. */
	private boolean claim(SalesRep rep) {
		Criteria criteria = Criteria.where("_id").is(rep.id()).and("active").is(true);
		if (rep.capacity() != null) {
			criteria = criteria.and("openHandoffs").lt(rep.capacity());
		}
		return mongo.updateFirst(Query.query(criteria), new Update().inc("openHandoffs", 1), SalesRep.class)
			.getModifiedCount() == 1;
	}

	/** Gives the rep's place back once per handoff: {@code released} flips once. */
	void release(Handoff handoff) {
		var flipped = mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id()).and("released").is(false)),
				new Update().set("released", true), Handoff.class);
		if (flipped.getModifiedCount() == 1) {
			giveBack(handoff.repId());
		}
	}

	private void giveBack(@Nullable String repId) {
		if (repId != null) {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(repId)), new Update().inc("openHandoffs", -1),
					SalesRep.class);
		}
	}
}
