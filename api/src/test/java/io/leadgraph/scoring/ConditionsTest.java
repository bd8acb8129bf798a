package io.leadgraph.scoring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.scoring.PolicyDocument.Operator;

import static io.leadgraph.scoring.ScoringFixtures.NOW;
import static io.leadgraph.scoring.ScoringFixtures.all;
import static io.leadgraph.scoring.ScoringFixtures.any;
import static io.leadgraph.scoring.ScoringFixtures.lead;
import static io.leadgraph.scoring.ScoringFixtures.not;
import static io.leadgraph.scoring.ScoringFixtures.touch;
import static io.leadgraph.scoring.ScoringFixtures.when;
import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {

	private static final String X = "attributes.x";

	private static boolean test(Condition condition, @Nullable Object actual) {
		Map<String, Object> values = new HashMap<>();
		if (actual != null) {
			values.put(X, actual);
		}
		return Conditions.compile(condition).test(values::get);
	}

	private static boolean test(Operator op, Object value, @Nullable Object actual) {
		return test(when(X, op, value), actual);
	}

	@Test
	void stringEqualityIgnoresCase() {
		assertThat(test(Operator.EQ, "Acme", "ACME")).isTrue();
		assertThat(test(Operator.EQ, "ACME", "acme")).isTrue();
		assertThat(test(Operator.EQ, "acme", "acme inc")).isFalse();
		assertThat(test(Operator.NE, "Acme", "aCmE")).isFalse();
		assertThat(test(Operator.NE, "Acme", "Globex")).isTrue();
	}

	@Test
	void numbersAreEqualWhateverTheirBoxedType() {
		for (Object constant : List.of(200, 200L, 200.0, new BigDecimal("200.00"), BigInteger.valueOf(200))) {
			for (Object actual : List.of(200, 200L, 200.0, 200.0f, (short) 200, new BigDecimal("200"),
					BigInteger.valueOf(200))) {
				assertThat(test(Operator.EQ, constant, actual)).as("%s == %s", actual, constant).isTrue();
				assertThat(test(Operator.NE, constant, actual)).as("%s != %s", actual, constant).isFalse();
				assertThat(test(Operator.IN, List.of(1, constant), actual)).isTrue();
				assertThat(test(Operator.GTE, constant, actual)).isTrue();
				assertThat(test(Operator.LTE, constant, actual)).isTrue();
				assertThat(test(Operator.GT, constant, actual)).isFalse();
				assertThat(test(Operator.LT, constant, actual)).isFalse();
			}
		}
		assertThat(test(Operator.EQ, 200, 200.5)).isFalse();
		assertThat(test(Operator.NE, 200, 200.5)).isTrue();
	}

	@Test
	void largeIntegersCompareExactly() {
		assertThat(test(Operator.EQ, 9_007_199_254_740_993L, 9_007_199_254_740_992L)).isFalse();
		assertThat(test(Operator.GT, 9_007_199_254_740_992L, 9_007_199_254_740_993L)).isTrue();
		assertThat(test(Operator.EQ, Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
	}

	@Test
	void booleansCompareByValue() {
		assertThat(test(Operator.EQ, true, true)).isTrue();
		assertThat(test(Operator.EQ, true, false)).isFalse();
		assertThat(test(Operator.NE, true, false)).isTrue();
		assertThat(test(Operator.NE, false, false)).isFalse();
		assertThat(test(Operator.IN, List.of(true), true)).isTrue();
		assertThat(test(Operator.IN, List.of(true), false)).isFalse();
		assertThat(test(Operator.NOT_IN, List.of(false), true)).isTrue();
		assertThat(test(Operator.NOT_IN, List.of(false, true), true)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "GT,199,true", "GT,200,false", "GT,201,false", "GTE,199,true", "GTE,200,true", "GTE,201,false",
			"LT,199,false", "LT,200,false", "LT,201,true", "LTE,199,false", "LTE,200,true", "LTE,201,true" })
	void orderingComparesNumerically(Operator op, int bound, boolean expected) {
		assertThat(test(op, bound, 200)).isEqualTo(expected);
		assertThat(test(op, (long) bound, 200L)).isEqualTo(expected);
		assertThat(test(op, (double) bound, 200.0)).isEqualTo(expected);
		assertThat(test(op, bound, 200.0)).isEqualTo(expected);
		assertThat(test(op, (double) bound, 200L)).isEqualTo(expected);
		assertThat(test(op, bound + 0.5, 200.25)).isEqualTo(op == Operator.LT || op == Operator.LTE
				? bound + 0.5 > 200.25 : bound + 0.5 < 200.25);
	}

	@Test
	void membershipIgnoresCaseAndMixesTypes() {
		List<Object> values = List.of("DE", "fr", 7, 2.5, false);
		assertThat(test(Operator.IN, values, "de")).isTrue();
		assertThat(test(Operator.IN, values, "FR")).isTrue();
		assertThat(test(Operator.IN, values, "US")).isFalse();
		assertThat(test(Operator.IN, values, 7L)).isTrue();
		assertThat(test(Operator.IN, values, 7.0)).isTrue();
		assertThat(test(Operator.IN, values, 2.5)).isTrue();
		assertThat(test(Operator.IN, values, 3)).isFalse();
		assertThat(test(Operator.IN, values, false)).isTrue();
		assertThat(test(Operator.IN, values, true)).isFalse();
		assertThat(test(Operator.IN, values, "7")).isFalse();
		assertThat(test(Operator.NOT_IN, values, "De")).isFalse();
		assertThat(test(Operator.NOT_IN, values, "US")).isTrue();
		assertThat(test(Operator.NOT_IN, values, "7")).isTrue();
		assertThat(test(Operator.IN, List.of(), "DE")).isFalse();
		assertThat(test(Operator.NOT_IN, List.of(), "DE")).isTrue();
	}

	@Test
	void textOperatorsIgnoreCase() {
		assertThat(test(Operator.CONTAINS, "VP", "Senior vp of Sales")).isTrue();
		assertThat(test(Operator.CONTAINS, "vp", "VP")).isTrue();
		assertThat(test(Operator.CONTAINS, "VP", "Director")).isFalse();
		assertThat(test(Operator.STARTS_WITH, "/Pricing", "/PRICING/enterprise")).isTrue();
		assertThat(test(Operator.STARTS_WITH, "/pricing", "/docs/pricing")).isFalse();
		assertThat(test(Operator.ENDS_WITH, "@ACME.com", "jane@acme.COM")).isTrue();
		assertThat(test(Operator.ENDS_WITH, "acme.com", "acme.com.evil")).isFalse();
	}

	@Test
	void textOperatorsNeedStrings() {
		assertThat(test(Operator.CONTAINS, "1", 123)).isFalse();
		assertThat(test(Operator.STARTS_WITH, "t", true)).isFalse();
		assertThat(test(Operator.ENDS_WITH, "0", 10.0)).isFalse();
	}

	@ParameterizedTest
	@EnumSource(value = Operator.class, names = { "EQ", "IN", "GT", "GTE", "LT", "LTE", "CONTAINS", "STARTS_WITH",
			"ENDS_WITH" })
	void aMissingValueFailsPositiveComparisons(Operator op) {
		assertThat(test(op, valueFor(op), null)).isFalse();
	}

	@ParameterizedTest
	@EnumSource(value = Operator.class, names = { "NE", "NOT_IN" })
	void aMissingValueSatisfiesNegativeComparisons(Operator op) {
		assertThat(test(op, valueFor(op), null)).isTrue();
		assertThat(test(op, List.of("x"), null)).isTrue();
	}

	@Test
	void existsTellsPresentFromAbsent() {
		assertThat(test(Operator.EXISTS, true, "")).isTrue();
		assertThat(test(Operator.EXISTS, true, 0)).isTrue();
		assertThat(test(Operator.EXISTS, true, null)).isFalse();
		assertThat(test(Operator.EXISTS, false, null)).isTrue();
		assertThat(test(Operator.EXISTS, false, false)).isFalse();
	}

	@Test
	void aValueOfAnotherTypeFailsPositiveAndSatisfiesNegativeComparisons() {
		assertThat(test(Operator.EQ, 200, "200")).isFalse();
		assertThat(test(Operator.EQ, "200", 200)).isFalse();
		assertThat(test(Operator.EQ, true, "true")).isFalse();
		assertThat(test(Operator.EQ, "true", true)).isFalse();
		assertThat(test(Operator.EQ, 1, true)).isFalse();
		assertThat(test(Operator.GT, 1, "5")).isFalse();
		assertThat(test(Operator.LTE, 10, true)).isFalse();
		assertThat(test(Operator.IN, List.of(200), "200")).isFalse();
		assertThat(test(Operator.EQ, "x", List.of("x"))).isFalse();
		assertThat(test(Operator.EQ, "x", Map.of("x", "x"))).isFalse();
		assertThat(test(Operator.NE, 200, "200")).isTrue();
		assertThat(test(Operator.NE, "true", true)).isTrue();
		assertThat(test(Operator.NOT_IN, List.of(200), "200")).isTrue();
		assertThat(test(not(when(X, Operator.GT, 1)), "5")).isTrue();
	}

	@Test
	void allAnyAndNotNest() {
		Condition bigGermanNotFreeMail = all(when("company.employees", Operator.GTE, 200),
				any(when("company.country", Operator.EQ, "DE"), when("company.country", Operator.EQ, "AT")),
				not(when("freeMail", Operator.EQ, true)));
		Predicate<Facts> compiled = Conditions.compile(bigGermanNotFreeMail);
		assertThat(compiled.test(lead().employees(500).country("de").build())).isTrue();
		assertThat(compiled.test(lead().employees(500).country("AT").build())).isTrue();
		assertThat(compiled.test(lead().employees(500).country("FR").build())).isFalse();
		assertThat(compiled.test(lead().employees(199).country("DE").build())).isFalse();
		assertThat(compiled.test(lead().employees(null).country("DE").build())).isFalse();
		assertThat(compiled.test(lead().employees(500).country("DE").email("jane@gmail.com").build())).isFalse();
		assertThat(Conditions.compile(not(not(bigGermanNotFreeMail))).test(lead().employees(500).country("DE").build()))
			.isTrue();
	}

	@Test
	void anEmptyAllHoldsAndAnEmptyAnyFails() {
		assertThat(Conditions.compile(all()).test(path -> null)).isTrue();
		assertThat(Conditions.compile(any()).test(path -> null)).isFalse();
		assertThat(Conditions.compile(not(any())).test(path -> null)).isTrue();
		assertThat(Conditions.compile(any(all())).test(path -> null)).isTrue();
		assertThat(Conditions.compile(all(when(X, Operator.EQ, 1))).test(path -> 1)).isTrue();
		assertThat(Conditions.compile(any(when(X, Operator.EQ, 1))).test(path -> 2)).isFalse();
	}

	@Test
	void readsTheLeadsFields() {
		Facts.LeadFacts lead = lead().email("jane.doe@gmail.com")
			.title("VP Marketing")
			.employees(250)
			.country("FR")
			.attribute("plan", "Enterprise")
			.attribute("seats", 40L)
			.attribute("trial", true)
			.build();
		assertThat(Conditions.compile(when("freeMail", Operator.EQ, true)).test(lead)).isTrue();
		assertThat(Conditions.compile(when("emailDomain", Operator.EQ, "GMAIL.com")).test(lead)).isTrue();
		assertThat(Conditions.compile(when("title", Operator.CONTAINS, "VP")).test(lead)).isTrue();
		assertThat(Conditions.compile(when("company.employees", Operator.GTE, 200)).test(lead)).isTrue();
		assertThat(Conditions.compile(when("company.country", Operator.IN, List.of("DE", "FR"))).test(lead)).isTrue();
		assertThat(Conditions.compile(when("source", Operator.EQ, "INBOUND")).test(lead)).isTrue();
		assertThat(Conditions.compile(when("attributes.plan", Operator.EQ, "enterprise")).test(lead)).isTrue();
		assertThat(Conditions.compile(when("attributes.seats", Operator.GT, 39.5)).test(lead)).isTrue();
		assertThat(Conditions.compile(when("attributes.trial", Operator.EQ, true)).test(lead)).isTrue();
		assertThat(Conditions.compile(when("attributes.none", Operator.EXISTS, false)).test(lead)).isTrue();
		assertThat(Conditions.compile(when("phone", Operator.EXISTS, true)).test(lead)).isFalse();
	}

	@Test
	void readsTheTouchpointsFields() {
		Facts.TouchFacts touch = touch("t1", "PRICING_VIEW", NOW, Map.of("path", "/pricing/Teams", "seconds", 42));
		assertThat(Conditions.compile(when("type", Operator.EQ, "PRICING_VIEW")).test(touch)).isTrue();
		assertThat(Conditions.compile(when("type", Operator.IN, List.of("DEMO_REQUEST", "PRICING_VIEW"))).test(touch))
			.isTrue();
		assertThat(Conditions.compile(when("channel", Operator.EQ, "WEB")).test(touch)).isTrue();
		assertThat(Conditions.compile(when("campaign.id", Operator.NE, "c1")).test(touch)).isTrue();
		assertThat(Conditions.compile(when("properties.path", Operator.STARTS_WITH, "/PRICING")).test(touch)).isTrue();
		assertThat(Conditions.compile(when("properties.seconds", Operator.GTE, 30)).test(touch)).isTrue();
	}

	@Test
	void listsTheFieldsAConditionReadsOnceInOrder() {
		Condition condition = all(when("title", Operator.CONTAINS, "VP"),
				any(when("company.country", Operator.EQ, "DE"), not(when("title", Operator.EXISTS, false))),
				when("attributes.plan", Operator.EQ, "pro"), when("company.country", Operator.NE, "US"));
		assertThat(Conditions.fields(condition)).containsExactly("title", "company.country", "attributes.plan");
		assertThat(Conditions.fields(all())).isEmpty();
	}

	private static Object valueFor(Operator op) {
		return switch (op) {
			case IN, NOT_IN -> List.of("a", 1, true);
			case GT, GTE, LT, LTE -> 0;
			case EXISTS -> true;
			default -> "";
		};
	}
}
