package io.leadgraph.scoring;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.scoring.PolicyDocument.Operator;

/**
 * Compiles validated {@link Condition}s into predicates over {@link Facts}. Strings compare
 * case-insensitively, numbers numerically whatever their boxed type. A missing value or one of
 * another type than the condition's fails every comparison, so {@code NE} and {@code NOT_IN} (their
 * negations) hold for it.
 */
final class Conditions {

	private static final ValueTest NEVER = actual -> false;

	private Conditions() {
	}

	static Predicate<Facts> compile(Condition condition) {
		if (condition.all() != null) {
			List<Predicate<Facts>> parts = compileAll(condition.all());
			return switch (parts.size()) {
				case 0 -> facts -> true;
				case 1 -> parts.getFirst();
				default -> {
					@SuppressWarnings("unchecked")
					Predicate<Facts>[] array = parts.toArray(Predicate[]::new);
					yield facts -> {
						for (Predicate<Facts> part : array) {
							if (!part.test(facts)) {
								return false;
							}
						}
						return true;
					};
				}
			};
		}
		if (condition.any() != null) {
			List<Predicate<Facts>> parts = compileAll(condition.any());
			return switch (parts.size()) {
				case 0 -> facts -> false;
				case 1 -> parts.getFirst();
				default -> {
					@SuppressWarnings("unchecked")
					Predicate<Facts>[] array = parts.toArray(Predicate[]::new);
					yield facts -> {
						for (Predicate<Facts> part : array) {
							if (part.test(facts)) {
								return true;
							}
						}
						return false;
					};
				}
			};
		}
		if (condition.not() != null) {
			Predicate<Facts> inner = compile(condition.not());
			return facts -> !inner.test(facts);
		}
		return comparison(required(condition.field(), "field"), required(condition.op(), "op"), condition.value());
	}

	/** The distinct field paths a condition reads, in order of appearance. */
	static List<String> fields(Condition condition) {
		Set<String> fields = new LinkedHashSet<>();
		collectFields(condition, fields);
		return List.copyOf(fields);
	}

	private static void collectFields(Condition condition, Set<String> fields) {
		if (condition.all() != null) {
			condition.all().forEach(child -> collectFields(child, fields));
		}
		if (condition.any() != null) {
			condition.any().forEach(child -> collectFields(child, fields));
		}
		if (condition.not() != null) {
			collectFields(condition.not(), fields);
		}
		if (condition.field() != null) {
			fields.add(condition.field());
		}
	}

	private static List<Predicate<Facts>> compileAll(List<Condition> conditions) {
		List<Predicate<Facts>> parts = new ArrayList<>(conditions.size());
		for (Condition condition : conditions) {
			parts.add(compile(condition));
		}
		return parts;
	}

	private static Predicate<Facts> comparison(String field, Operator op, @Nullable Object value) {
		return switch (op) {
			case EXISTS -> Boolean.TRUE.equals(value) ? facts -> facts.value(field) != null
					: facts -> facts.value(field) == null;
			case EQ -> holds(field, equality(value));
			case NE -> fails(field, equality(value));
			case IN -> holds(field, membership(value));
			case NOT_IN -> fails(field, membership(value));
			case GT, GTE, LT, LTE -> holds(field, ordering(op, value));
			case CONTAINS, STARTS_WITH, ENDS_WITH -> holds(field, text(op, value));
		};
	}

	private static Predicate<Facts> holds(String field, ValueTest test) {
		return facts -> test.test(facts.value(field));
	}

	private static Predicate<Facts> fails(String field, ValueTest test) {
		return facts -> !test.test(facts.value(field));
	}

	private static ValueTest equality(@Nullable Object value) {
		if (value instanceof String string) {
			String expected = lower(string);
			return actual -> actual instanceof String s && lower(s).equals(expected);
		}
		if (value instanceof Number number) {
			Num expected = Num.of(number);
			return actual -> actual instanceof Number n && expected.equalTo(n);
		}
		if (value instanceof Boolean bool) {
			return bool::equals;
		}
		return NEVER;
	}

	private static ValueTest membership(@Nullable Object value) {
		if (!(value instanceof List<?> values)) {
			return NEVER;
		}
		Set<String> strings = new HashSet<>();
		List<Num> numbers = new ArrayList<>();
		boolean anyTrue = false;
		boolean anyFalse = false;
		for (Object element : values) {
			switch (element) {
				case String string -> strings.add(lower(string));
				case Number number -> numbers.add(Num.of(number));
				case Boolean bool -> {
					anyTrue |= bool;
					anyFalse |= !bool;
				}
				case null, default -> {
				}
			}
		}
		Num[] numberArray = numbers.toArray(Num[]::new);
		boolean withTrue = anyTrue;
		boolean withFalse = anyFalse;
		return actual -> switch (actual) {
			case String s -> strings.contains(lower(s));
			case Number n -> {
				for (Num number : numberArray) {
					if (number.equalTo(n)) {
						yield true;
					}
				}
				yield false;
			}
			case Boolean b -> b ? withTrue : withFalse;
			case null, default -> false;
		};
	}

	private static ValueTest ordering(Operator op, @Nullable Object value) {
		if (!(value instanceof Number number)) {
			return NEVER;
		}
		Num bound = Num.of(number);
		return switch (op) {
			case GT -> actual -> actual instanceof Number n && bound.below(n);
			case GTE -> actual -> actual instanceof Number n && (bound.below(n) || bound.equalTo(n));
			case LT -> actual -> actual instanceof Number n && bound.above(n);
			case LTE -> actual -> actual instanceof Number n && (bound.above(n) || bound.equalTo(n));
			default -> throw new IllegalArgumentException(op.name());
		};
	}

	private static ValueTest text(Operator op, @Nullable Object value) {
		if (!(value instanceof String string)) {
			return NEVER;
		}
		String expected = lower(string);
		return switch (op) {
			case CONTAINS -> actual -> actual instanceof String s && lower(s).contains(expected);
			case STARTS_WITH -> actual -> actual instanceof String s && lower(s).startsWith(expected);
			case ENDS_WITH -> actual -> actual instanceof String s && lower(s).endsWith(expected);
			default -> throw new IllegalArgumentException(op.name());
		};
	}

	// Returns the string itself (no copy) when it has no upper-case letters.
	private static String lower(String value) {
		return value.toLowerCase(Locale.ROOT);
	}

	private static <T> T required(@Nullable T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("A comparison needs a " + name);
		}
		return value;
	}

	/** A test of the value at a field path, null when absent. */
	@FunctionalInterface
	private interface ValueTest {

		boolean test(@Nullable Object actual);

	}

	/**
	 * A number of a condition: integral ones compare exactly with integral values (beyond 2^53 a
	 * double would round), everything else as double.
	 */
	private record Num(boolean integral, long exact, double approximate) {

		static Num of(Number number) {
			return integral(number) ? new Num(true, number.longValue(), number.doubleValue())
					: new Num(false, 0, number.doubleValue());
		}

		boolean equalTo(Number actual) {
			return integral && integral(actual) ? actual.longValue() == exact
					: actual.doubleValue() == approximate;
		}

		/** Whether the bound is below the actual value. */
		boolean below(Number actual) {
			return integral && integral(actual) ? exact < actual.longValue() : approximate < actual.doubleValue();
		}

		/** Whether the bound is above the actual value. */
		boolean above(Number actual) {
			return integral && integral(actual) ? exact > actual.longValue() : approximate > actual.doubleValue();
		}

		private static boolean integral(Number number) {
			return number instanceof Integer || number instanceof Long || number instanceof Short
					|| number instanceof Byte || number instanceof BigInteger big && big.bitLength() < 64;
		}
	}
}
