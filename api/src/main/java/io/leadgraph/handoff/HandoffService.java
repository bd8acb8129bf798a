package io.leadgraph.handoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import com.querydsl.core.BooleanBuilder;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.SlaStatus;
import io.leadgraph.handoff.HandoffInputRules.RepFields;
import io.leadgraph.handoff.HandoffInputRules.RuleFields;
import io.leadgraph.handoff.HandoffInputs.HandoffFilter;
import io.leadgraph.handoff.HandoffInputs.HandoffOrder;
import io.leadgraph.handoff.HandoffInputs.HandoffScope;
import io.leadgraph.handoff.HandoffInputs.RejectHandoffInput;
import io.leadgraph.handoff.HandoffInputs.SaveRoutingRuleInput;
import io.leadgraph.handoff.HandoffInputs.SaveSalesRepInput;
import io.leadgraph.handoff.HandoffPayloads.AcceptHandoffPayload;
import io.leadgraph.handoff.HandoffPayloads.ConflictReason;
import io.leadgraph.handoff.HandoffPayloads.HandoffAccepted;
import io.leadgraph.handoff.HandoffPayloads.HandoffConflict;
import io.leadgraph.handoff.HandoffPayloads.HandoffRejected;
import io.leadgraph.handoff.HandoffPayloads.RejectHandoffPayload;
import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.scoring.ScoringService;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;
import io.leadgraph.support.InLists;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.NotFoundException;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The handoff feature's public face: reps and routing rules (admin), handoff queues, and sales'
 * decisions. A decision is one compare-and-set on the handoff's status (so a second accept or
 * reject is a conflict, never a second transition), then the lead's move with its event.
 */
@Service
public class HandoffService {

	private static final Duration STATS_DEFAULT_WINDOW = Duration.ofDays(30);

	private static final Duration STATS_LONGEST_WINDOW = Duration.ofDays(400);

	private final Handoffs handoffs;

	private final SalesReps reps;

	private final RoutingRules routingRules;

	private final HandoffAssignments assignments;

	private final HandoffDecisions decisions;

	private final ScoringService scoring;

	private final LeadService leads;

	private final MongoTemplate mongo;

	private final HandoffSettings settings;

	private final Clock clock;

	HandoffService(Handoffs handoffs, SalesReps reps, RoutingRules routingRules, HandoffAssignments assignments,
			HandoffDecisions decisions, ScoringService scoring, LeadService leads, MongoTemplate mongo,
			HandoffSettings settings, Clock clock) {
		this.handoffs = handoffs;
		this.reps = reps;
		this.routingRules = routingRules;
		this.assignments = assignments;
		this.decisions = decisions;
		this.scoring = scoring;
		this.leads = leads;
		this.mongo = mongo;
		this.settings = settings;
		this.clock = clock;
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public List<SalesRep> reps(@Nullable String team, @Nullable Boolean active) {
		// reps are a small, admin-made list: one read in id order, filtered here
		return mongo.find(new Query().with(Sort.by("id")), SalesRep.class)
			.stream()
			.filter(rep -> team == null || team.equals(rep.team()))
			.filter(rep -> active == null || active == rep.active())
			.toList();
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Optional<SalesRep> rep(String id) {
		return reps.findById(id);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Map<String, SalesRep> repsById(Collection<String> ids) {
		Map<String, SalesRep> found = new HashMap<>();
		InLists.query(ids, reps::findAllById).forEach(rep -> found.put(rep.id(), rep));
		return found;
	}

	@PreAuthorize("hasRole('admin')")
	public SalesRep saveRep(SaveSalesRepInput input) {
		RepFields rep = HandoffInputRules.rep(input);
		Instant now = clock.instant();
		mongo.upsert(Query.query(Criteria.where("_id").is(rep.id())),
				new Update().set("name", rep.name())
					.set("email", rep.email())
					.set("team", rep.team())
					.set("territories", rep.territories())
					.set("weight", rep.weight())
					.set("capacity", rep.capacity())
					.set("workingHours", rep.workingHours())
					.set("outOfOffice", rep.outOfOffice())
					.set("active", rep.active())
					.set("updatedAt", now)
					.setOnInsert("openHandoffs", 0)
					.setOnInsert("createdAt", now),
				SalesRep.class);
		return reps.findById(rep.id()).orElseThrow();
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public List<RoutingRule> rules() {
		return routingRules.all();
	}

	@PreAuthorize("hasRole('admin')")
	public RoutingRule saveRule(SaveRoutingRuleInput input) {
		Set<String> known = new HashSet<>();
		if (input.pool() != null) {
			InLists.query(input.pool().stream().filter(Objects::nonNull).distinct().toList(), reps::findAllById)
				.forEach(rep -> known.add(rep.id()));
		}
		RuleFields rule = HandoffInputRules.rule(input, known, settings.defaultResponseWindow());
		Instant now = clock.instant();
		mongo.upsert(Query.query(Criteria.where("_id").is(rule.id())),
				new Update().set("name", rule.name())
					.set("position", rule.position())
					.set("when", rule.when())
					.set("pool", rule.pool())
					.set("strategy", rule.strategy())
					.set("responseWindowSeconds", rule.responseWindow().toSeconds())
					.set("reassignOnBreach", rule.reassignOnBreach())
					.set("active", rule.active())
					.set("updatedAt", now)
					.setOnInsert("createdAt", now),
				RoutingRule.class);
		routingRules.forget();
		return Objects.requireNonNull(mongo.findById(rule.id(), RoutingRule.class));
	}

	@PreAuthorize("hasRole('admin')")
	public boolean deleteRule(String id) {
		boolean deleted = mongo.remove(Query.query(Criteria.where("_id").is(id)), RoutingRule.class).getDeletedCount() == 1;
		routingRules.forget();
		return deleted;
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Optional<Handoff> handoff(String id) {
		return handoffs.findById(id);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Window<Handoff> handoffs(@Nullable HandoffFilter filter, @Nullable HandoffOrder order, ScrollSubrange page) {
		var handoff = QHandoff.handoff;
		var predicate = new BooleanBuilder();
		if (filter != null) {
			HandoffScope scope = filter.scope() == null ? HandoffScope.ALL : filter.scope();
			String caller = Caller.current().actor();
			switch (scope) {
				case MINE -> predicate.and(handoff.repId.eq(caller));
				case MY_TEAM -> predicate.and(handoff.team.eq(reps.findById(caller)
					.map(SalesRep::team)
					.orElseThrow(() -> new InvalidInputException("filter.scope", "NOT_A_REP",
							"MY_TEAM needs the caller to be a sales rep with a team"))));
				case ALL -> {
				}
			}
			if (filter.repIds() != null && !filter.repIds().isEmpty()) {
				predicate.and(handoff.repId.in(filter.repIds()));
			}
			if (filter.team() != null) {
				predicate.and(handoff.team.eq(filter.team()));
			}
			if (filter.statuses() != null && !filter.statuses().isEmpty()) {
				predicate.and(handoff.status.in(filter.statuses()));
			}
			if (filter.leadId() != null) {
				predicate.and(handoff.leadId.eq(filter.leadId()));
			}
			if (Boolean.TRUE.equals(filter.overdue())) {
				predicate.and(handoff.status.in(HandoffStatus.PENDING, HandoffStatus.QUEUED))
					.and(handoff.dueAt.lt(clock.instant()));
			}
		}
		Sort sort = order == HandoffOrder.NEWEST ? Sort.by(Sort.Order.desc("assignedAt"), Sort.Order.desc("id"))
				: Sort.by(Sort.Order.asc("dueAt"), Sort.Order.asc("id"));
		Pages.requireCursorFits(page, sort);
		int limit = page.count().orElse(20);
		return handoffs.findBy(predicate,
				query -> query.sortBy(sort).limit(limit).scroll(page.position().orElseThrow()));
	}

	/**
	 * The handoffs routed in {@code [from, to)} (default: the 30 days before now; at most 400 days),
	 * in total and grouped: one streaming read of the window.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public HandoffStats stats(@Nullable Instant from, @Nullable Instant to, HandoffStats.GroupBy groupBy) {
		Instant end = to == null ? clock.instant() : to;
		Instant start = from == null ? end.minus(STATS_DEFAULT_WINDOW) : from;
		if (!start.isBefore(end) || Duration.between(start, end).compareTo(STATS_LONGEST_WINDOW) > 0) {
			throw new InvalidInputException("window", "INVALID_WINDOW", "needs from before to, at most 400 days apart");
		}
		try (Stream<Handoff> routed = mongo.stream(
				Query.query(Criteria.where("assignedAt").gte(start).lt(end)).cursorBatchSize(1000), Handoff.class)) {
			return HandoffStats.of(start, end, groupBy, routed);
		}
	}

	@PreAuthorize("hasAnyRole('admin', 'sales')")
	public AcceptHandoffPayload accept(String handoffId) {
		return decide(handoffId, new Update().set("status", HandoffStatus.ACCEPTED), HandoffAccepted::new,
				conflict -> conflict);
	}

	@PreAuthorize("hasAnyRole('admin', 'sales')")
	public RejectHandoffPayload reject(RejectHandoffInput input) {
		String note = HandoffInputRules.note(input);
		return decide(input.handoffId(), new Update().set("status", HandoffStatus.REJECTED)
			.set("rejectionReason", input.reason())
			.set("rejectionNote", note)
			.set("engagementReset", scoring.resetsEngagementOnRejection()), HandoffRejected::new, conflict -> conflict);
	}

	/**
	 * A decision: one compare-and-set from PENDING (only one of several racing decisions wins), then
	 * the lead's side. The caller must be the handoff's rep or an admin.
	 */
	private <T> T decide(String handoffId, Update decision, BiFunction<Handoff, Lead, T> decided,
			Function<HandoffConflict, T> refused) {
		Handoff handoff = decidable(handoffId);
		HandoffConflict conflict = conflict(handoff);
		if (conflict != null) {
			return refused.apply(conflict);
		}
		Instant now = clock.instant();
		Instant firstTouch = firstTouch(handoff, now);
		Instant finishBy = now.plus(HandoffRouting.FINISH_AFTER);
		decision.set("firstTouchAt", firstTouch)
			.set("sla", sla(handoff, firstTouch))
			.set("decidedAt", now)
			.set("decidedBy", Caller.current().actor())
			.set("timerAt", finishBy);
		// the first touch as read is part of the condition: a touch recorded meanwhile is not overwritten
		boolean won = mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id())
			.and("status").is(HandoffStatus.PENDING)
			.and("firstTouchAt").is(handoff.firstTouchAt())), decision, Handoff.class).getModifiedCount() == 1;
		if (!won) {
			HandoffConflict lost = conflict(require(handoffId));
			if (lost == null) {
				return decide(handoffId, decision, decided, refused); // only the first touch changed: decide again
			}
			return refused.apply(lost);
		}
		decisions.apply(require(handoffId), finishBy);
		return decided.apply(require(handoffId), lead(handoff));
	}

	/** A decision is a touch: the first one, unless the rep's outbound touchpoint came earlier. */
	private static Instant firstTouch(Handoff handoff, Instant now) {
		return handoff.firstTouchAt() == null ? now : handoff.firstTouchAt();
	}

	private static SlaStatus sla(Handoff handoff, Instant firstTouch) {
		return firstTouch.isAfter(Objects.requireNonNull(handoff.dueAt())) ? SlaStatus.BREACHED : SlaStatus.MET;
	}

	/** The handoff, if the caller may decide it: its rep, or an admin. */
	private Handoff decidable(String handoffId) {
		Handoff handoff = require(handoffId);
		Caller caller = Caller.current();
		if (!caller.has(Role.ADMIN) && !caller.actor().equals(handoff.repId())) {
			throw new AccessDeniedException("Only the handoff's rep or an admin may decide it");
		}
		return handoff;
	}

	private @Nullable HandoffConflict conflict(Handoff handoff) {
		return switch (handoff.status()) {
			case PENDING -> {
				Stage stage = lead(handoff).stage();
				if (stage == Stage.MQL) {
					yield null;
				}
				assignments.close(handoff); // the lead left MQL another way: nothing is left to decide
				yield new HandoffConflict(ConflictReason.LEAD_NOT_MQL, "The lead is " + stage + " now, no longer MQL",
						require(handoff.id()));
			}
			case ACCEPTED -> new HandoffConflict(ConflictReason.ALREADY_ACCEPTED,
					"Accepted already by " + handoff.decidedBy() + " at " + handoff.decidedAt(), handoff);
			case REJECTED -> new HandoffConflict(ConflictReason.ALREADY_REJECTED,
					"Rejected already by " + handoff.decidedBy() + " at " + handoff.decidedAt(), handoff);
			case REASSIGNED -> new HandoffConflict(ConflictReason.REASSIGNED,
					"Taken from the rep after the SLA was breached", handoff);
			case QUEUED -> new HandoffConflict(ConflictReason.NOT_ASSIGNED, "It waits in the fallback queue", handoff);
			case CLOSED -> new HandoffConflict(ConflictReason.LEAD_NOT_MQL, "The lead left MQL another way", handoff);
		};
	}

	private Lead lead(Handoff handoff) {
		return leads.lead(handoff.leadId()).orElseThrow(() -> new NotFoundException("Lead", handoff.leadId()));
	}

	private Handoff require(String id) {
		return handoffs.findById(id).orElseThrow(() -> new NotFoundException("Handoff", id));
	}
}
