package io.leadgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadgraph.scoring.LedgerEntry.Cap;
import io.leadgraph.scoring.LedgerEntry.EntryKind;
import io.leadgraph.scoring.PolicyDocument.Operator;

import static io.leadgraph.scoring.ScoringFixtures.NOW;
import static io.leadgraph.scoring.ScoringFixtures.always;
import static io.leadgraph.scoring.ScoringFixtures.engagement;
import static io.leadgraph.scoring.ScoringFixtures.fit;
import static io.leadgraph.scoring.ScoringFixtures.lead;
import static io.leadgraph.scoring.ScoringFixtures.match;
import static io.leadgraph.scoring.ScoringFixtures.policy;
import static io.leadgraph.scoring.ScoringFixtures.sum;
import static io.leadgraph.scoring.ScoringFixtures.touch;
import static io.leadgraph.scoring.ScoringFixtures.type;
import static io.leadgraph.scoring.ScoringFixtures.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CompiledPolicyTest {

	private static final Instant DAY_1 = Instant.parse("2025-06-01T09:00:00Z");

	/** The policy of the issue. */
	private static ScoringFixtures.Policy issuePolicy() {
		return policy()
			.fit(fit("big-company", when("company.employees", Operator.GTE, 200), 15),
					fit("target-country", when("company.country", Operator.IN, List.of("DE", "FR")), 5),
					fit("vp", when("title", Operator.CONTAINS, "VP"), 10),
					fit("free-mail", when("freeMail", Operator.EQ, true), -10),
					fit("enterprise-plan", when("attributes.plan", Operator.EQ, "enterprise"), 20))
			.engagement(engagement("demo", type("DEMO_REQUEST"), 30),
					engagement("pricing", type("PRICING_VIEW"), 10, 3, null, null, null),
					engagement("unsubscribe", type("UNSUBSCRIBE"), -20));
	}

	private static ScoreSheet score(CompiledPolicy policy, List<Facts.TouchFacts> touches) {
		return score(policy, lead().build(), touches, NOW);
	}

	private static ScoreSheet score(CompiledPolicy policy, Facts.LeadFacts lead, List<Facts.TouchFacts> touches,
			Instant asOf) {
		List<Match> matches = new ArrayList<>();
		touches.forEach(touch -> matches.addAll(policy.matches(touch)));
		ScoreSheet sheet = policy.score(lead, matches, asOf);
		LedgerInvariants.check(sheet);
		return sheet;
	}

	private static List<LedgerEntry> engagementEntries(ScoreSheet sheet) {
		return sheet.entries().stream().filter(e -> e.kind() == EntryKind.ENGAGEMENT).toList();
	}

	@Test
	void compilesThePolicyOnce() {
		PolicyDocument document = issuePolicy().document();
		CompiledPolicy policy = CompiledPolicy.compile("p-7", 3, document);
		assertThat(policy.policyId()).isEqualTo("p-7");
		assertThat(policy.version()).isEqualTo(3);
		assertThat(policy.document()).isSameAs(document);
	}

	@Test
	void fitRulesOfTheIssueAddUp() {
		CompiledPolicy policy = issuePolicy().compile();
		Facts.LeadFacts lead = lead().employees(250)
			.country("de")
			.title("Senior vp Sales")
			.attribute("plan", "Enterprise")
			.build();
		ScoreSheet sheet = score(policy, lead, List.of(), NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::kind, LedgerEntry::ruleId, LedgerEntry::fields,
				LedgerEntry::rulePoints, LedgerEntry::points, LedgerEntry::decayedPoints, LedgerEntry::cap)
			.containsExactly(tuple(EntryKind.FIT, "big-company", List.of("company.employees"), 1500L, 1500L, 1500L,
					Cap.NONE), tuple(EntryKind.FIT, "target-country", List.of("company.country"), 500L, 500L, 500L, Cap.NONE),
					tuple(EntryKind.FIT, "vp", List.of("title"), 1000L, 1000L, 1000L, Cap.NONE),
					tuple(EntryKind.FIT, "enterprise-plan", List.of("attributes.plan"), 2000L, 2000L, 2000L, Cap.NONE));
		assertThat(sheet.entries()).allSatisfy(entry -> {
			assertThat(entry.touchpointId()).isNull();
			assertThat(entry.occurredAt()).isNull();
		});
		assertThat(sheet.fit()).isEqualTo(5000);
		assertThat(sheet.engagement()).isZero();
		assertThat(sheet.total()).isEqualTo(5000);
		assertThat(sheet.grade()).isEqualTo(Grade.A);
		assertThat(sheet.qualifies()).isTrue();
		assertThat(sheet.asOf()).isEqualTo(NOW);
		assertThat(sheet.retained()).isEmpty();
	}

	@Test
	void freeMailSubtractsAndFitMayBeNegative() {
		ScoreSheet sheet = score(issuePolicy().compile(),
				lead().email("jane@gmail.com").employees(199).country("US").title("Engineer").build(), List.of(), NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::ruleId, LedgerEntry::decayedPoints)
			.containsExactly(tuple("free-mail", -1000L));
		assertThat(sheet.fit()).isEqualTo(-1000);
		assertThat(sheet.total()).isEqualTo(-1000);
		assertThat(sheet.grade()).isEqualTo(Grade.D);
		assertThat(sheet.qualifies()).isFalse();
	}

	@Test
	void missingLeadDataMatchesNoFitRule() {
		ScoreSheet sheet = score(issuePolicy().compile(), lead().attribute("plan", 7).build(), List.of(), NOW);
		assertThat(sheet.entries()).isEmpty();
		assertThat(sheet.fit()).isZero();
		assertThat(sheet.grade()).isEqualTo(Grade.D);
	}

	@Test
	void aTouchpointMatchesEveryEngagementRuleItFitsInRuleOrder() {
		CompiledPolicy policy = policy().engagement(engagement("web", when("channel", Operator.EQ, "WEB"), 1),
				engagement("demo", type("DEMO_REQUEST"), 30), engagement("never", type("CALL"), 5))
			.compile();
		assertThat(policy.matches(touch("t1", "DEMO_REQUEST", DAY_1)))
			.containsExactly(new Match("web", "t1", "DEMO_REQUEST", DAY_1, 1),
					new Match("demo", "t1", "DEMO_REQUEST", DAY_1, 30));
		assertThat(policy.matches(new Facts.TouchFacts("t2", "EMAIL_OPEN", "EMAIL", "INBOUND", "esp", null, null,
				Map.of(), DAY_1))).isEmpty();
	}

	@Test
	void engagementRulesOfTheIssueAddUp() {
		ScoreSheet sheet = score(issuePolicy().compile(),
				List.of(touch("t1", "DEMO_REQUEST", DAY_1), touch("t2", "UNSUBSCRIBE", DAY_1.plusSeconds(60)),
						touch("t3", "PAGE_VIEW", DAY_1)));
		assertThat(sheet.entries()).extracting(LedgerEntry::kind, LedgerEntry::ruleId, LedgerEntry::touchpointId,
				LedgerEntry::touchpointType, LedgerEntry::occurredAt, LedgerEntry::fields, LedgerEntry::points)
			.containsExactly(
					tuple(EntryKind.ENGAGEMENT, "unsubscribe", "t2", "UNSUBSCRIBE", DAY_1.plusSeconds(60), List.of(),
							-2000L),
					tuple(EntryKind.ENGAGEMENT, "demo", "t1", "DEMO_REQUEST", DAY_1, List.of(), 3000L));
		assertThat(sheet.engagement()).isEqualTo(1000);
		assertThat(sheet.total()).isEqualTo(1000);
		assertThat(sheet.retained()).extracting(Match::touchpointId).containsExactly("t2", "t1");
	}

	@Test
	void pricingViewsCountThreeTimesPerUtcDay() {
		Instant day1 = Instant.parse("2025-06-01T00:00:00Z");
		Instant day2 = Instant.parse("2025-06-02T00:00:00Z");
		ScoreSheet sheet = score(issuePolicy().compile(),
				List.of(touch("p4", "PRICING_VIEW", day2.minusSeconds(1)), touch("p1", "PRICING_VIEW", day1),
						touch("p3", "PRICING_VIEW", day1.plusSeconds(7200)),
						touch("p2", "PRICING_VIEW", day1.plusSeconds(3600)), touch("p5", "PRICING_VIEW", day2),
						touch("p6", "PRICING_VIEW", day2.plusSeconds(60))));
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::touchpointId, LedgerEntry::points, LedgerEntry::cap)
			.containsExactly(tuple("p6", 1000L, Cap.NONE), tuple("p5", 1000L, Cap.NONE),
					tuple("p4", 0L, Cap.MAX_PER_DAY), tuple("p3", 1000L, Cap.NONE), tuple("p2", 1000L, Cap.NONE),
					tuple("p1", 1000L, Cap.NONE));
		assertThat(sheet.engagement()).isEqualTo(5000);
	}

	@Test
	void maxOccurrencesCountsPaidOccurrencesAndComesBeforeMaxPerDay() {
		CompiledPolicy policy = policy().engagement(engagement("webinar", type("WEBINAR"), 15, 1, 2, null, null))
			.compile();
		ScoreSheet sheet = score(policy,
				List.of(touch("w1", "WEBINAR", DAY_1), touch("w2", "WEBINAR", DAY_1.plusSeconds(10)),
						touch("w3", "WEBINAR", DAY_1.plus(Duration.ofDays(1))),
						touch("w4", "WEBINAR", DAY_1.plus(Duration.ofDays(2))),
						touch("w5", "WEBINAR", DAY_1.plus(Duration.ofDays(3)))));
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::touchpointId, LedgerEntry::rulePoints,
				LedgerEntry::points, LedgerEntry::cap)
			.containsExactly(tuple("w5", 1500L, 0L, Cap.MAX_OCCURRENCES), tuple("w4", 1500L, 0L, Cap.MAX_OCCURRENCES),
					tuple("w3", 1500L, 1500L, Cap.NONE), tuple("w2", 1500L, 0L, Cap.MAX_PER_DAY),
					tuple("w1", 1500L, 1500L, Cap.NONE));
		assertThat(sheet.engagement()).isEqualTo(3000);

		ScoreSheet sameDay = score(policy,
				List.of(touch("w1", "WEBINAR", DAY_1), touch("w2", "WEBINAR", DAY_1.plusSeconds(10)),
						touch("w3", "WEBINAR", DAY_1.plus(Duration.ofDays(1))),
						touch("w4", "WEBINAR", DAY_1.plus(Duration.ofDays(1)).plusSeconds(1))));
		assertThat(engagementEntries(sameDay)).extracting(LedgerEntry::touchpointId, LedgerEntry::cap)
			.containsExactly(tuple("w4", Cap.MAX_OCCURRENCES), tuple("w3", Cap.NONE), tuple("w2", Cap.MAX_PER_DAY),
					tuple("w1", Cap.NONE));
	}

	@Test
	void noRuleCountsMoreThanFiveHundredOccurrencesSoALedgerStaysSmall() {
		CompiledPolicy policy = policy().engagement(engagement("view", type("PAGE_VIEW"), 1)).compile();
		List<Facts.TouchFacts> touches = new ArrayList<>();
		for (int i = 0; i < 800; i++) {
			touches.add(touch("v" + (1000 + i), "PAGE_VIEW", DAY_1.plusSeconds(i)));
		}
		ScoreSheet sheet = score(policy, touches);
		assertThat(sheet.engagement()).isEqualTo(CompiledPolicy.MAX_COUNTED * 100L);
		assertThat(engagementEntries(sheet)).hasSize(CompiledPolicy.MAX_COUNTED + CompiledPolicy.RETAINED_UNPAID);
		assertThat(engagementEntries(sheet)).filteredOn(entry -> entry.cap() == Cap.MAX_OCCURRENCES)
			.hasSize(CompiledPolicy.RETAINED_UNPAID)
			.allSatisfy(entry -> assertThat(entry.points()).isZero());
	}

	@Test
	void maxPointsPaysTheRemainderThenNothing() {
		CompiledPolicy policy = policy().engagement(engagement("demo", type("DEMO_REQUEST"), 30, null, null, 70, null),
				engagement("unsubscribe", type("UNSUBSCRIBE"), -20, null, null, 50, null))
			.compile();
		List<Facts.TouchFacts> touches = new ArrayList<>();
		for (int i = 1; i <= 4; i++) {
			touches.add(touch("d" + i, "DEMO_REQUEST", DAY_1.plus(Duration.ofDays(i))));
			touches.add(touch("u" + i, "UNSUBSCRIBE", DAY_1.plus(Duration.ofDays(i)).plusSeconds(1)));
		}
		ScoreSheet sheet = score(policy, touches);
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::touchpointId, LedgerEntry::points, LedgerEntry::cap)
			.containsExactly(tuple("u4", 0L, Cap.MAX_POINTS), tuple("d4", 0L, Cap.MAX_POINTS),
					tuple("u3", -1000L, Cap.MAX_POINTS), tuple("d3", 1000L, Cap.MAX_POINTS), tuple("u2", -2000L, Cap.NONE),
					tuple("d2", 3000L, Cap.NONE), tuple("u1", -2000L, Cap.NONE), tuple("d1", 3000L, Cap.NONE));
		assertThat(sheet.engagement()).isEqualTo(7000 - 5000);
	}

	@Test
	void aPartialPaymentCountsAsPaidButAnExhaustedOneDoesNot() {
		CompiledPolicy policy = policy().engagement(engagement("view", type("PAGE_VIEW"), 10, 2, 3, 15, null))
			.compile();
		ScoreSheet sheet = score(policy,
				List.of(touch("v1", "PAGE_VIEW", DAY_1), touch("v2", "PAGE_VIEW", DAY_1.plusSeconds(1)),
						touch("v3", "PAGE_VIEW", DAY_1.plusSeconds(2)),
						touch("v4", "PAGE_VIEW", DAY_1.plus(Duration.ofDays(1))),
						touch("v5", "PAGE_VIEW", DAY_1.plus(Duration.ofDays(1)).plusSeconds(1)),
						touch("v6", "PAGE_VIEW", DAY_1.plus(Duration.ofDays(1)).plusSeconds(2))));
		// v4 and v5 pay nothing and do not count: v5 and v6 are cut by maxPoints, not maxOccurrences or maxPerDay
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::touchpointId, LedgerEntry::points, LedgerEntry::cap)
			.containsExactly(tuple("v6", 0L, Cap.MAX_POINTS), tuple("v5", 0L, Cap.MAX_POINTS),
					tuple("v4", 0L, Cap.MAX_POINTS), tuple("v3", 0L, Cap.MAX_PER_DAY), tuple("v2", 500L, Cap.MAX_POINTS),
					tuple("v1", 1000L, Cap.NONE));
	}

	@Test
	void pointsHalveEveryHalfLife() {
		CompiledPolicy policy = issuePolicy().halfLifeDays(14.0)
			.engagement(engagement("webinar", type("WEBINAR"), 30, null, null, null, false),
					engagement("chat", type("CHAT"), 7, null, null, null, true))
			.compile();
		Instant asOf = Instant.parse("2025-06-29T12:00:00Z");
		ScoreSheet sheet = score(policy, lead().build(),
				List.of(touch("d14", "DEMO_REQUEST", asOf.minus(Duration.ofDays(14))),
						touch("d7", "DEMO_REQUEST", asOf.minus(Duration.ofDays(7))),
						touch("d28", "DEMO_REQUEST", asOf.minus(Duration.ofDays(28))),
						touch("d0", "DEMO_REQUEST", asOf),
						touch("future", "DEMO_REQUEST", asOf.plus(Duration.ofDays(3))),
						touch("u14", "UNSUBSCRIBE", asOf.minus(Duration.ofDays(14)).minusSeconds(1)),
						touch("w100", "WEBINAR", asOf.minus(Duration.ofDays(100))),
						touch("c1", "CHAT", asOf.minus(Duration.ofHours(36)))),
				asOf);
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::touchpointId, LedgerEntry::points,
				LedgerEntry::decayedPoints)
			.containsExactly(tuple("future", 3000L, 3000L), tuple("d0", 3000L, 3000L), tuple("c1", 700L, 650L),
					tuple("d7", 3000L, 2121L), tuple("d14", 3000L, 1500L), tuple("u14", -2000L, -1000L),
					tuple("d28", 3000L, 750L), tuple("w100", 3000L, 3000L));
		// 700 × 0.5^(1.5 / 14) = 649.9…; 3000 × 0.5^0.5 = 2121.32…
		assertThat(sheet.engagement()).isEqualTo(3000 + 3000 + 650 + 2121 + 1500 - 1000 + 750 + 3000);
	}

	@Test
	void withoutHalfLifeNothingDecays() {
		ScoreSheet sheet = score(issuePolicy().compile(), lead().build(),
				List.of(touch("d", "DEMO_REQUEST", NOW.minus(Duration.ofDays(365)))), NOW);
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::decayedPoints).containsExactly(3000L);
	}

	@Test
	void fitMaxCutsTheFitWithACorrection() {
		CompiledPolicy policy = issuePolicy().fitMax(20).compile();
		ScoreSheet sheet = score(policy, lead().employees(500).country("FR").title("VP").build(),
				List.of(touch("d1", "DEMO_REQUEST", NOW)), NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::kind, LedgerEntry::ruleId, LedgerEntry::rulePoints,
				LedgerEntry::points, LedgerEntry::decayedPoints, LedgerEntry::cap)
			.containsExactly(tuple(EntryKind.FIT, "big-company", 1500L, 1500L, 1500L, Cap.NONE),
					tuple(EntryKind.FIT, "target-country", 500L, 500L, 500L, Cap.NONE),
					tuple(EntryKind.FIT, "vp", 1000L, 1000L, 1000L, Cap.NONE),
					tuple(EntryKind.FIT_CAP, null, 0L, -1000L, -1000L, Cap.GROUP_MAX),
					tuple(EntryKind.ENGAGEMENT, "demo", 3000L, 3000L, 3000L, Cap.NONE));
		assertThat(sheet.fit()).isEqualTo(2000);
		assertThat(sheet.total()).isEqualTo(5000);
		assertThat(sheet.grade()).isEqualTo(Grade.C);

		ScoreSheet atTheCap = score(policy, lead().employees(500).country("FR").build(), List.of(), NOW);
		assertThat(atTheCap.entries()).extracting(LedgerEntry::kind).doesNotContain(EntryKind.FIT_CAP);
		assertThat(atTheCap.fit()).isEqualTo(2000);
	}

	@Test
	void engagementMaxCutsDecayedEngagementWithACorrection() {
		CompiledPolicy policy = issuePolicy().engagementMax(50).halfLifeDays(14.0).compile();
		ScoreSheet sheet = score(policy, lead().build(),
				List.of(touch("d1", "DEMO_REQUEST", NOW), touch("d2", "DEMO_REQUEST", NOW.minus(Duration.ofDays(14))),
						touch("d3", "DEMO_REQUEST", NOW.minus(Duration.ofDays(28)))),
				NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::kind, LedgerEntry::touchpointId, LedgerEntry::decayedPoints,
				LedgerEntry::cap)
			.containsExactly(tuple(EntryKind.ENGAGEMENT, "d1", 3000L, Cap.NONE),
					tuple(EntryKind.ENGAGEMENT, "d2", 1500L, Cap.NONE), tuple(EntryKind.ENGAGEMENT, "d3", 750L, Cap.NONE),
					tuple(EntryKind.ENGAGEMENT_CAP, null, -250L, Cap.GROUP_MAX));
		assertThat(sheet.engagement()).isEqualTo(5000);

		// 28 days later the same touchpoints decayed below the cap
		ScoreSheet later = score(policy, lead().build(),
				List.of(touch("d1", "DEMO_REQUEST", NOW), touch("d2", "DEMO_REQUEST", NOW.minus(Duration.ofDays(14))),
						touch("d3", "DEMO_REQUEST", NOW.minus(Duration.ofDays(28)))),
				NOW.plus(Duration.ofDays(28)));
		assertThat(later.entries()).extracting(LedgerEntry::kind).doesNotContain(EntryKind.ENGAGEMENT_CAP);
		assertThat(later.engagement()).isEqualTo(750 + 375 + 188);
	}

	@ParameterizedTest
	@CsvSource({ "40,A", "41,A", "39,B", "25,B", "24,C", "10,C", "9,D", "0,D", "-5,D" })
	void theGradeFollowsTheFitBands(int fit, Grade grade) {
		CompiledPolicy policy = policy().fit(fit("all", always(), fit)).grades(40, 25, 10).compile();
		assertThat(score(policy, List.of()).grade()).isEqualTo(grade);
	}

	@Test
	void theGradeFollowsTheCappedFit() {
		CompiledPolicy policy = policy().fit(fit("all", always(), 45)).grades(40, 25, 10).fitMax(39).compile();
		assertThat(score(policy, List.of()).grade()).isEqualTo(Grade.B);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "-", value = { "50,-,-,30,20,true", "50,-,-,30,19,false", "-,30,-,30,0,true",
			"-,31,-,30,50,false", "-,-,20,0,20,true", "-,-,20,60,19,false", "50,20,20,30,20,true",
			"50,20,20,25,25,true", "50,20,20,40,10,false", "50,20,20,20,29,false", "-,20,20,19,40,false",
			"-,-,-,100,100,false" })
	void qualifiesWhenEveryGivenBoundIsMet(@Nullable Integer total, @Nullable Integer fit,
			@Nullable Integer engagement, int fitPoints, int engagementPoints, boolean qualifies) {
		CompiledPolicy policy = policy().fit(fit("all", always(), fitPoints))
			.engagement(engagement("any", always(), engagementPoints))
			.mql(total, fit, engagement)
			.compile();
		assertThat(score(policy, List.of(touch("t", "PAGE_VIEW", NOW))).qualifies()).isEqualTo(qualifies);
	}

	@Test
	void entriesAreFitThenEngagementNewestFirst() {
		CompiledPolicy policy = issuePolicy().fitMax(10)
			.engagementMax(40)
			.engagement(engagement("any-web", when("channel", Operator.EQ, "WEB"), 1))
			.compile();
		ScoreSheet sheet = score(policy, lead().employees(300).country("DE").build(),
				List.of(touch("a", "DEMO_REQUEST", DAY_1), touch("b", "DEMO_REQUEST", DAY_1),
						touch("c", "PRICING_VIEW", DAY_1.plusSeconds(1)), touch("0", "PAGE_VIEW", DAY_1.minusSeconds(1))),
				NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::kind, LedgerEntry::ruleId, LedgerEntry::touchpointId)
			.containsExactly(tuple(EntryKind.FIT, "big-company", null), tuple(EntryKind.FIT, "target-country", null),
					tuple(EntryKind.FIT_CAP, null, null), tuple(EntryKind.ENGAGEMENT, "pricing", "c"),
					tuple(EntryKind.ENGAGEMENT, "any-web", "c"), tuple(EntryKind.ENGAGEMENT, "demo", "b"),
					tuple(EntryKind.ENGAGEMENT, "any-web", "b"), tuple(EntryKind.ENGAGEMENT, "demo", "a"),
					tuple(EntryKind.ENGAGEMENT, "any-web", "a"), tuple(EntryKind.ENGAGEMENT, "any-web", "0"),
					tuple(EntryKind.ENGAGEMENT_CAP, null, null));
		assertThat(sheet.retained()).extracting(Match::ruleId, Match::touchpointId)
			.containsExactly(tuple("pricing", "c"), tuple("any-web", "c"), tuple("demo", "b"), tuple("any-web", "b"),
					tuple("demo", "a"), tuple("any-web", "a"), tuple("any-web", "0"));
	}

	@Test
	void ignoresMatchesOfOtherRulesAndDuplicatesAndUsesTheCurrentPoints() {
		CompiledPolicy policy = issuePolicy().compile();
		Match demo = new Match("demo", "t1", "DEMO_REQUEST", DAY_1, 25);
		ScoreSheet sheet = policy.score(lead().build(),
				List.of(demo, demo, new Match("deleted-rule", "t2", "PAGE_VIEW", DAY_1, 50)), NOW);
		assertThat(sheet.entries()).extracting(LedgerEntry::ruleId, LedgerEntry::rulePoints, LedgerEntry::points)
			.containsExactly(tuple("demo", 3000L, 3000L));
		assertThat(sheet.retained()).containsExactly(demo);
	}

	@Test
	void aDuplicateWithADifferentTimeIsDecidedIndependentlyOfOrder() {
		CompiledPolicy policy = issuePolicy().compile();
		Match early = new Match("demo", "t1", "DEMO_REQUEST", DAY_1, 30);
		Match late = new Match("demo", "t1", "DEMO_REQUEST", DAY_1.plusSeconds(5), 30);
		ScoreSheet one = policy.score(lead().build(), List.of(early, late), NOW);
		ScoreSheet other = policy.score(lead().build(), List.of(late, early), NOW);
		assertThat(one).isEqualTo(other);
		assertThat(one.retained()).containsExactly(early);
	}

	@Test
	void keepsAllPaidButOnlyTheNewestFiftyUnpaidMatchesOfARule() {
		CompiledPolicy policy = policy().engagement(engagement("view", type("PAGE_VIEW"), 1, null, 5, null, null),
				engagement("open", type("EMAIL_OPEN"), 0), engagement("demo", type("DEMO_REQUEST"), 30))
			.compile();
		List<Match> matches = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			Instant at = DAY_1.plus(Duration.ofMinutes(i));
			matches.add(match("view", "v" + (1000 + i), at));
			matches.add(match("open", "o" + (1000 + i), at));
		}
		matches.add(match("demo", "d", DAY_1));
		ScoreSheet sheet = policy.score(lead().build(), matches, NOW);
		LedgerInvariants.check(sheet);
		assertThat(sheet.retained()).hasSize(5 + 50 + 50 + 1);
		assertThat(sheet.retained()).filteredOn(m -> m.ruleId().equals("view"))
			.extracting(Match::touchpointId)
			.containsAll(List.of("v1000", "v1001", "v1002", "v1003", "v1004"))
			.contains("v1999", "v1950")
			.doesNotContain("v1949", "v1005");
		assertThat(sheet.retained()).filteredOn(m -> m.ruleId().equals("open"))
			.extracting(Match::touchpointId)
			.contains("o1999", "o1950")
			.doesNotContain("o1949");
		assertThat(sheet.engagement()).isEqualTo(500 + 3000);
	}

	@Test
	void aRuleWorthNothingPaysNothingWithoutCap() {
		CompiledPolicy policy = policy().engagement(engagement("open", type("EMAIL_OPEN"), 0, 1, 1, 1, null))
			.compile();
		ScoreSheet sheet = score(policy,
				List.of(touch("o1", "EMAIL_OPEN", DAY_1), touch("o2", "EMAIL_OPEN", DAY_1.plusSeconds(1))));
		assertThat(engagementEntries(sheet)).extracting(LedgerEntry::points, LedgerEntry::cap)
			.containsExactly(tuple(0L, Cap.NONE), tuple(0L, Cap.NONE));
	}
}
