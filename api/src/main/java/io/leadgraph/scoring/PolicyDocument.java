package io.leadgraph.scoring;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The body of a scoring policy, one shape for the GraphQL input, the stored document and the YAML
 * export: rules are data (field path, operator, value), never code.
 *
 * @param fitMax the most the fit rules together may add (null: no cap)
 * @param engagementMax the most the engagement rules together may add after decay (null: no cap)
 * @param halfLifeDays engagement points halve every this many days (null: no decay)
 * @param resetEngagementOnRejection whether sales rejecting a handoff resets the lead's engagement,
 * so it must engage again to re-qualify (null: yes)
 */
public record PolicyDocument(String name, @Nullable String description, List<FitRule> fitRules,
		List<EngagementRule> engagementRules, @Nullable Integer fitMax, @Nullable Integer engagementMax,
		@Nullable Double halfLifeDays, MqlThreshold mqlThreshold, GradeThresholds grades,
		@Nullable Boolean resetEngagementOnRejection) {

	boolean resetsEngagementOnRejection() {
		return resetEngagementOnRejection == null || resetEngagementOnRejection;
	}

	/** Points for an attribute of the lead or its company, e.g. employees ≥ 200 → +15. */
	public record FitRule(String id, @Nullable String description, Condition when, int points) {
	}

	/**
	 * Points for each touchpoint that matches, e.g. DEMO_REQUEST → +30.
	 *
	 * @param maxPerDay occurrences that count per UTC day (of the touchpoint's occurredAt)
	 * @param maxOccurrences occurrences that count in total
	 * @param maxPoints the most points (in absolute value) the rule adds in total
	 * @param decays whether the rule's points decay with the policy's half-life (default true)
	 */
	public record EngagementRule(String id, @Nullable String description, Condition when, int points,
			@Nullable Integer maxPerDay, @Nullable Integer maxOccurrences, @Nullable Integer maxPoints,
			@Nullable Boolean decays) {

		boolean decaying() {
			return decays == null || decays;
		}
	}

	/** When a lead is marketing qualified: every given bound must be met (at least one is given). */
	public record MqlThreshold(@Nullable Integer total, @Nullable Integer fit, @Nullable Integer engagement) {
	}

	/** Fit grade bands: A from {@code a} fit points, B from {@code b}, C from {@code c}, D below. */
	public record GradeThresholds(int a, int b, int c) {
	}

	/**
	 * A condition: exactly one of {@code all}, {@code any}, {@code not}, or a comparison
	 * ({@code field}, {@code op}, {@code value}).
	 */
	public record Condition(@Nullable List<Condition> all, @Nullable List<Condition> any, @Nullable Condition not,
			@Nullable String field, @Nullable Operator op, @Nullable Object value) {
	}

	/** Comparison operators. Strings compare case-insensitively. */
	public enum Operator {

		EQ, NE, IN, NOT_IN, GT, GTE, LT, LTE, CONTAINS, STARTS_WITH, ENDS_WITH, EXISTS

	}
}
