package io.leadgraph.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.scoring.PolicyDocument.EngagementRule;
import io.leadgraph.scoring.PolicyDocument.FitRule;
import io.leadgraph.scoring.PolicyDocument.GradeThresholds;
import io.leadgraph.scoring.PolicyDocument.MqlThreshold;
import io.leadgraph.scoring.PolicyDocument.Operator;

/** Builders for policies, leads and touchpoints in scoring tests. */
final class ScoringFixtures {

	static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");

	private ScoringFixtures() {
	}

	static Condition when(String field, Operator op, Object value) {
		return new Condition(null, null, null, field, op, value);
	}

	static Condition all(Condition... conditions) {
		return new Condition(List.of(conditions), null, null, null, null, null);
	}

	static Condition any(Condition... conditions) {
		return new Condition(null, List.of(conditions), null, null, null, null);
	}

	static Condition not(Condition condition) {
		return new Condition(null, null, condition, null, null, null);
	}

	static Condition always() {
		return all();
	}

	static Condition type(String type) {
		return when("type", Operator.EQ, type);
	}

	static FitRule fit(String id, Condition when, int points) {
		return new FitRule(id, null, when, points);
	}

	static EngagementRule engagement(String id, Condition when, int points) {
		return engagement(id, when, points, null, null, null, null);
	}

	static EngagementRule engagement(String id, Condition when, int points, @Nullable Integer maxPerDay,
			@Nullable Integer maxOccurrences, @Nullable Integer maxPoints, @Nullable Boolean decays) {
		return new EngagementRule(id, null, when, points, maxPerDay, maxOccurrences, maxPoints, decays);
	}

	static Policy policy() {
		return new Policy();
	}

	static LeadBuilder lead() {
		return new LeadBuilder();
	}

	static Facts.TouchFacts touch(String id, String type, Instant occurredAt) {
		return touch(id, type, occurredAt, Map.of());
	}

	static Facts.TouchFacts touch(String id, String type, Instant occurredAt, Map<String, Object> properties) {
		return new Facts.TouchFacts(id, type, "WEB", "INBOUND", "website", null, null, properties, occurredAt);
	}

	static Match match(String ruleId, String touchpointId, Instant occurredAt) {
		return new Match(ruleId, touchpointId, "PAGE_VIEW", occurredAt, 1);
	}

	static long sum(List<LedgerEntry> entries, LedgerEntry.EntryKind... kinds) {
		List<LedgerEntry.EntryKind> wanted = List.of(kinds);
		return entries.stream().filter(e -> wanted.contains(e.kind())).mapToLong(LedgerEntry::decayedPoints).sum();
	}

	/** A mutable policy document. */
	static final class Policy {

		final List<FitRule> fitRules = new ArrayList<>();

		final List<EngagementRule> engagementRules = new ArrayList<>();

		@Nullable Integer fitMax;

		@Nullable Integer engagementMax;

		@Nullable Double halfLifeDays;

		MqlThreshold mql = new MqlThreshold(50, null, null);

		GradeThresholds grades = new GradeThresholds(40, 25, 10);

		Policy fit(FitRule... rules) {
			fitRules.addAll(List.of(rules));
			return this;
		}

		Policy engagement(EngagementRule... rules) {
			engagementRules.addAll(List.of(rules));
			return this;
		}

		Policy fitMax(@Nullable Integer max) {
			fitMax = max;
			return this;
		}

		Policy engagementMax(@Nullable Integer max) {
			engagementMax = max;
			return this;
		}

		Policy halfLifeDays(@Nullable Double days) {
			halfLifeDays = days;
			return this;
		}

		Policy mql(@Nullable Integer total, @Nullable Integer fit, @Nullable Integer engagement) {
			mql = new MqlThreshold(total, fit, engagement);
			return this;
		}

		Policy grades(int a, int b, int c) {
			grades = new GradeThresholds(a, b, c);
			return this;
		}

		PolicyDocument document() {
			return new PolicyDocument("test", null, List.copyOf(fitRules), List.copyOf(engagementRules), fitMax,
					engagementMax, halfLifeDays, mql, grades, null);
		}

		CompiledPolicy compile() {
			return CompiledPolicy.compile("policy-1", 1, document());
		}
	}

	/** A lead with no company data unless set. */
	static final class LeadBuilder {

		private String email = "jane@acme.com";

		private @Nullable String title;

		private @Nullable Integer employees;

		private @Nullable String country;

		private final Map<String, Object> attributes = new HashMap<>();

		LeadBuilder email(String value) {
			email = value;
			return this;
		}

		LeadBuilder title(@Nullable String value) {
			title = value;
			return this;
		}

		LeadBuilder employees(@Nullable Integer value) {
			employees = value;
			return this;
		}

		LeadBuilder country(@Nullable String value) {
			country = value;
			return this;
		}

		LeadBuilder attribute(String key, Object value) {
			attributes.put(key, value);
			return this;
		}

		Facts.LeadFacts build() {
			return new Facts.LeadFacts("lead-1", email, "Jane", "Doe", title, null, "INBOUND", "Acme", "acme.com",
					employees, "Software", country, Map.copyOf(attributes), null);
		}
	}
}
