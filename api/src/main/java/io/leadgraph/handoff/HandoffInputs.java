package io.leadgraph.handoff;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.Handoff.HandoffStatus;
import io.leadgraph.handoff.Handoff.RejectionReason;
import io.leadgraph.handoff.RoutingRule.Strategy;
import io.leadgraph.handoff.SalesRep.Segment;
import io.leadgraph.handoff.SalesRep.WorkingPeriod;
import io.leadgraph.scoring.PolicyDocument.Condition;

/** The handoff's GraphQL inputs, bound by Spring GraphQL. */
public final class HandoffInputs {

	private HandoffInputs() {
	}

	public record SaveSalesRepInput(@Nullable String id, @Nullable String name, @Nullable String email,
			@Nullable String team, @Nullable TerritoriesInput territories, @Nullable Integer weight,
			@Nullable Integer capacity, @Nullable WorkingHoursInput workingHours,
			@Nullable List<OutOfOfficeInput> outOfOffice, @Nullable Boolean active) {
	}

	public record TerritoriesInput(@Nullable List<String> countries, @Nullable List<Segment> segments) {
	}

	public record WorkingHoursInput(@Nullable String timeZone, @Nullable List<WorkingPeriod> periods) {
	}

	public record OutOfOfficeInput(@Nullable Instant from, @Nullable Instant to) {
	}

	public record SaveRoutingRuleInput(@Nullable String id, @Nullable String name, int position, @Nullable Condition when,
			@Nullable List<String> pool, @Nullable Strategy strategy, @Nullable String responseWindow,
			@Nullable Boolean reassignOnBreach, @Nullable Boolean active) {
	}

	public record DeleteRoutingRuleInput(String id) {
	}

	public record AcceptHandoffInput(String handoffId) {
	}

	public record RejectHandoffInput(String handoffId, RejectionReason reason, @Nullable String note) {
	}

	public record HandoffFilter(@Nullable HandoffScope scope, @Nullable List<String> repIds, @Nullable String team,
			@Nullable List<HandoffStatus> statuses, @Nullable String leadId, @Nullable Boolean overdue) {
	}

	public enum HandoffScope {
		MINE, MY_TEAM, ALL
	}

	public enum HandoffOrder {
		DUE_SOONEST, NEWEST
	}
}
