package io.leadgraph.scoring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.scoring.PolicyDocument.EngagementRule;
import io.leadgraph.scoring.PolicyDocument.FitRule;
import io.leadgraph.scoring.PolicyDocument.Operator;
import io.leadgraph.scoring.ScoringFields.Field;
import io.leadgraph.scoring.ScoringFields.Scope;
import io.leadgraph.scoring.ScoringFields.ValueType;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;

/**
 * Checks a policy before anything is saved, reporting every problem with the path of its field, and
 * returns it normalised (enum values upper case, numbers as long or double).
 */
final class PolicyValidation {

	static final int MAX_RULES = 100;

	static final int MAX_POINTS = 1000;

	private static final int MAX_DEPTH = 10;

	private static final int MAX_NODES = 100;

	private static final int MAX_LIST = 500;

	private static final int MAX_TEXT = 500;

	private static final int MAX_LIST_VALUES = 2_000;

	private static final int MAX_POLICY_NODES = 2_000;

	private static final Pattern RULE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

	private final InputProblems problems;

	private final Set<String> ruleIds = new HashSet<>();

	/** Values in all lists of the policy: a budget, so a policy stays a small document. */
	private int listValues;

	/** Condition parts in all rules of the policy: the same budget. */
	private int policyNodes;

	private PolicyValidation(InputProblems problems) {
		this.problems = problems;
	}

	/** The policy, normalised; throws {@link InvalidInputException} listing every problem. */
	static PolicyDocument check(PolicyDocument policy, String at) {
		var validation = new PolicyValidation(new InputProblems());
		PolicyDocument normalised = validation.policy(policy, at);
		validation.problems.throwIfAny();
		return normalised;
	}

	/**
	 * A routing rule's condition (fit fields and {@code trigger.*}), normalised; its problems go to
	 * {@code problems}.
	 */
	static Condition routingCondition(@Nullable Condition condition, String at, InputProblems problems) {
		return new PolicyValidation(problems).condition(condition, Scope.ROUTING, at, 1, new int[1]);
	}

	private PolicyDocument policy(PolicyDocument policy, String at) {
		String name = policy.name() == null ? "" : policy.name().strip();
		if (name.isEmpty() || name.length() > 100) {
			problems.add(at + ".name", name.isEmpty() ? "REQUIRED" : "TOO_LONG", "must be 1 to 100 characters");
		}
		problems.maxLength(at + ".description", policy.description(), 1000);
		List<FitRule> fitRules = nonNull(policy.fitRules());
		List<EngagementRule> engagementRules = nonNull(policy.engagementRules());
		if (fitRules.size() > MAX_RULES) {
			problems.add(at + ".fitRules", "TOO_MANY_RULES", "at most " + MAX_RULES + " fit rules");
		}
		if (engagementRules.size() > MAX_RULES) {
			problems.add(at + ".engagementRules", "TOO_MANY_RULES", "at most " + MAX_RULES + " engagement rules");
		}
		if (fitRules.isEmpty() && engagementRules.isEmpty()) {
			problems.add(at + ".fitRules", "NO_RULES", "a policy needs at least one fit or engagement rule");
		}
		List<FitRule> fit = new ArrayList<>();
		for (int i = 0; i < fitRules.size() && i < MAX_RULES; i++) {
			if (fitRules.get(i) == null) {
				problems.add(at + ".fitRules[" + i + "]", "REQUIRED", "a rule is required");
				continue;
			}
			fit.add(fitRule(fitRules.get(i), at + ".fitRules[" + i + "]"));
		}
		List<EngagementRule> engagement = new ArrayList<>();
		for (int i = 0; i < engagementRules.size() && i < MAX_RULES; i++) {
			if (engagementRules.get(i) == null) {
				problems.add(at + ".engagementRules[" + i + "]", "REQUIRED", "a rule is required");
				continue;
			}
			engagement.add(engagementRule(engagementRules.get(i), at + ".engagementRules[" + i + "]"));
		}
		atLeast(at + ".fitMax", policy.fitMax(), 0);
		atLeast(at + ".engagementMax", policy.engagementMax(), 0);
		Double halfLife = policy.halfLifeDays();
		if (halfLife != null && !(halfLife > 0 && halfLife <= 3650)) {
			problems.add(at + ".halfLifeDays", "OUT_OF_RANGE", "must be more than 0 and at most 3650 days");
		}
		var threshold = policy.mqlThreshold();
		if (threshold == null || (threshold.total() == null && threshold.fit() == null && threshold.engagement() == null)) {
			problems.add(at + ".mqlThreshold", "REQUIRED", "give at least one of total, fit, engagement");
		}
		var grades = policy.grades();
		if (grades == null) {
			problems.add(at + ".grades", "REQUIRED", "give the least fit scores of grades a, b and c");
		}
		else if (grades.a() < grades.b() || grades.b() < grades.c()) {
			problems.add(at + ".grades", "INVALID_ORDER", "needs a ≥ b ≥ c");
		}
		return new PolicyDocument(name, blankToNull(policy.description()), fit, engagement, policy.fitMax(),
				policy.engagementMax(), halfLife, threshold, grades, policy.resetEngagementOnRejection());
	}

	private FitRule fitRule(FitRule rule, String at) {
		ruleId(rule.id(), at + ".id");
		points(rule.points(), at + ".points");
		problems.maxLength(at + ".description", rule.description(), MAX_TEXT);
		Condition when = condition(rule.when(), Scope.FIT, at + ".when", 1, new int[1]);
		return new FitRule(rule.id(), blankToNull(rule.description()), when, rule.points());
	}

	private EngagementRule engagementRule(EngagementRule rule, String at) {
		ruleId(rule.id(), at + ".id");
		points(rule.points(), at + ".points");
		problems.maxLength(at + ".description", rule.description(), MAX_TEXT);
		atLeast(at + ".maxPerDay", rule.maxPerDay(), 1);
		atLeast(at + ".maxOccurrences", rule.maxOccurrences(), 1);
		if (rule.maxOccurrences() != null && rule.maxOccurrences() > CompiledPolicy.MAX_COUNTED) {
			problems.add(at + ".maxOccurrences", "OUT_OF_RANGE", "must be at most " + CompiledPolicy.MAX_COUNTED);
		}
		atLeast(at + ".maxPoints", rule.maxPoints(), 1);
		Condition when = condition(rule.when(), Scope.ENGAGEMENT, at + ".when", 1, new int[1]);
		return new EngagementRule(rule.id(), blankToNull(rule.description()), when, rule.points(), rule.maxPerDay(),
				rule.maxOccurrences(), rule.maxPoints(), rule.decays() == null ? Boolean.TRUE : rule.decays());
	}

	private void ruleId(@Nullable String id, String at) {
		if (id == null || !RULE_ID.matcher(id).matches()) {
			problems.add(at, "INVALID_ID", "a letter, then up to 63 letters, digits, '_' or '-'");
		}
		else if (!ruleIds.add(id)) {
			problems.add(at, "DUPLICATE_ID", "another rule of the policy has the id " + id);
		}
	}

	private void points(int points, String at) {
		if (points == 0 || Math.abs(points) > MAX_POINTS) {
			problems.add(at, "OUT_OF_RANGE", "must be -" + MAX_POINTS + " to " + MAX_POINTS + " and not 0");
		}
	}

	private void atLeast(String at, @Nullable Integer value, int least) {
		if (value != null && value < least) {
			problems.add(at, "OUT_OF_RANGE", "must be at least " + least);
		}
	}

	private Condition condition(@Nullable Condition condition, Scope scope, String at, int depth, int[] nodes) {
		if (condition == null) {
			problems.add(at, "REQUIRED", "a condition is required");
			return new Condition(null, null, null, null, null, null);
		}
		if (++policyNodes == MAX_POLICY_NODES + 1) {
			problems.add(at, "TOO_COMPLEX", "a policy's conditions have at most " + MAX_POLICY_NODES + " parts in all");
		}
		if (++nodes[0] > MAX_NODES) {
			if (nodes[0] == MAX_NODES + 1) {
				problems.add(at, "TOO_COMPLEX", "a rule's condition has at most " + MAX_NODES + " parts");
			}
			return condition;
		}
		if (depth > MAX_DEPTH) {
			problems.add(at, "TOO_DEEP", "conditions nest at most " + MAX_DEPTH + " levels");
			return condition;
		}
		boolean comparison = condition.field() != null || condition.op() != null || condition.value() != null;
		int forms = (condition.all() != null ? 1 : 0) + (condition.any() != null ? 1 : 0)
				+ (condition.not() != null ? 1 : 0) + (comparison ? 1 : 0);
		if (forms != 1) {
			problems.add(at, "INVALID_CONDITION",
					"give exactly one of all, any, not, or a comparison (field, op, value)");
			return condition;
		}
		if (condition.all() != null) {
			return new Condition(children(condition.all(), scope, at + ".all", depth, nodes), null, null, null, null,
					null);
		}
		if (condition.any() != null) {
			return new Condition(null, children(condition.any(), scope, at + ".any", depth, nodes), null, null, null,
					null);
		}
		if (condition.not() != null) {
			return new Condition(null, null, condition(condition.not(), scope, at + ".not", depth + 1, nodes), null,
					null, null);
		}
		return comparison(condition, scope, at);
	}

	private List<Condition> children(List<Condition> children, Scope scope, String at, int depth, int[] nodes) {
		List<Condition> checked = new ArrayList<>();
		for (int i = 0; i < children.size(); i++) {
			checked.add(condition(children.get(i), scope, at + "[" + i + "]", depth + 1, nodes));
		}
		return checked;
	}

	private Condition comparison(Condition condition, Scope scope, String at) {
		String path = condition.field();
		Operator op = condition.op();
		if (path == null) {
			problems.add(at + ".field", "REQUIRED", "a comparison names a field");
			return condition;
		}
		Field field = ScoringFields.find(scope, path);
		if (field == null) {
			problems.add(at + ".field", "UNKNOWN_FIELD", scope.name().toLowerCase(java.util.Locale.ROOT)
					+ " rules read " + String.join(", ", ScoringFields.paths(scope)) + " or "
					+ (scope == Scope.ENGAGEMENT ? "properties" : "attributes") + ".<key>");
			return condition;
		}
		if (op == null) {
			problems.add(at + ".op", "REQUIRED", "a comparison has an operator");
			return condition;
		}
		Object value = switch (op) {
			case EXISTS -> condition.value() instanceof Boolean present ? present
					: invalid(at + ".value", "EXISTS takes true or false");
			case IN, NOT_IN -> list(field, condition.value(), at + ".value");
			case GT, GTE, LT, LTE -> field.type() == ValueType.NUMBER || field.type() == ValueType.ANY
					? number(condition.value(), at + ".value")
					: invalid(at + ".op", op + " compares numbers; " + path + " is not a number");
			case CONTAINS, STARTS_WITH, ENDS_WITH -> field.type() == ValueType.STRING || field.type() == ValueType.ANY
					? text(condition.value(), at + ".value")
					: invalid(at + ".op", op + " compares text; " + path + " is not text");
			case EQ, NE -> scalar(field, condition.value(), at + ".value");
		};
		return new Condition(null, null, null, path, op, value);
	}

	private @Nullable Object list(Field field, @Nullable Object value, String at) {
		if (!(value instanceof List<?> values) || values.isEmpty() || values.size() > MAX_LIST) {
			return invalid(at, "IN and NOT_IN take a list of 1 to " + MAX_LIST + " values");
		}
		listValues += values.size();
		if (listValues > MAX_LIST_VALUES) {
			return invalid(at, "a policy's lists hold at most " + MAX_LIST_VALUES + " values in all");
		}
		List<Object> checked = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			checked.add(scalar(field, values.get(i), at + "[" + i + "]"));
		}
		return checked;
	}

	private @Nullable Object scalar(Field field, @Nullable Object value, String at) {
		return switch (field.type()) {
			case STRING -> text(value, at);
			case NUMBER -> number(value, at);
			case BOOLEAN -> value instanceof Boolean ? value : invalid(at, field.path() + " is true or false");
			case ENUM -> {
				String name = value instanceof String text ? text.strip().toUpperCase(Locale.ROOT) : null;
				yield name != null && field.enumValues().contains(name) ? name
						: invalid(at, field.path() + " is one of " + String.join(", ", field.enumValues().stream().sorted().toList()));
			}
			case ANY -> value instanceof Boolean ? value
					: value instanceof String ? text(value, at) : number(value, at);
		};
	}

	private @Nullable Object text(@Nullable Object value, String at) {
		if (!(value instanceof String text) || text.isEmpty() || text.length() > MAX_TEXT) {
			return invalid(at, "must be text of 1 to " + MAX_TEXT + " characters");
		}
		return text;
	}

	private @Nullable Object number(@Nullable Object value, String at) {
		return switch (value) {
			case Integer i -> i.longValue();
			case Long l -> l;
			case BigInteger big when big.bitLength() < 64 -> big.longValue();
			case Double d when Double.isFinite(d) -> d;
			case Float f when Float.isFinite(f) -> f.doubleValue();
			case BigDecimal decimal -> decimal.stripTrailingZeros().scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
					? (Object) decimal.longValue() : (Object) decimal.doubleValue();
			case null, default -> invalid(at, "must be a number");
		};
	}

	private @Nullable Object invalid(String at, String message) {
		problems.add(at, "INVALID_VALUE", message);
		return null;
	}

	private static <T> List<T> nonNull(@Nullable List<T> list) {
		return list == null ? List.of() : list;
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return text == null || text.isBlank() ? null : text.strip();
	}
}
