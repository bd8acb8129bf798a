package io.leadgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.leadgraph.scoring.LedgerEntry.Cap;
import io.leadgraph.scoring.LedgerEntry.EntryKind;
import io.leadgraph.scoring.PolicyDocument.EngagementRule;
import io.leadgraph.scoring.PolicyDocument.Operator;

import static io.leadgraph.scoring.ScoringFixtures.NOW;
import static io.leadgraph.scoring.ScoringFixtures.any;
import static io.leadgraph.scoring.ScoringFixtures.engagement;
import static io.leadgraph.scoring.ScoringFixtures.fit;
import static io.leadgraph.scoring.ScoringFixtures.lead;
import static io.leadgraph.scoring.ScoringFixtures.not;
import static io.leadgraph.scoring.ScoringFixtures.policy;
import static io.leadgraph.scoring.ScoringFixtures.type;
import static io.leadgraph.scoring.ScoringFixtures.when;
import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random leads and touchpoints against a policy that uses every cap. */
class ScoringPropertiesTest {

	private static final CompiledPolicy POLICY = policy()
		.fit(fit("big-company", when("company.employees", Operator.GTE, 200), 15),
				fit("target-country", when("company.country", Operator.IN, List.of("DE", "FR")), 5),
				fit("vp", when("title", Operator.CONTAINS, "VP"), 10),
				fit("free-mail", when("freeMail", Operator.EQ, true), -10),
				fit("enterprise-plan", when("attributes.plan", Operator.EQ, "enterprise"), 20),
				fit("senior", any(when("title", Operator.STARTS_WITH, "head"), when("title", Operator.ENDS_WITH, "CHIEF")),
						8),
				fit("not-us", not(when("company.country", Operator.EQ, "US")), 3),
				fit("seats", when("attributes.seats", Operator.GT, 10), 4))
		.fitMax(30)
		.engagement(engagement("demo", type("DEMO_REQUEST"), 30, null, 2, null, null),
				engagement("pricing", type("PRICING_VIEW"), 10, 3, null, null, null),
				engagement("unsubscribe", type("UNSUBSCRIBE"), -20, null, null, 30, null),
				engagement("view", type("PAGE_VIEW"), 1, 2, null, 7, null),
				engagement("pricing-page", when("properties.path", Operator.STARTS_WITH, "/pricing"), 5, null, null, 12,
						null),
				engagement("webinar", type("WEBINAR"), 15, null, 3, null, false),
				engagement("open", type("EMAIL_OPEN"), 0),
				engagement("email", when("channel", Operator.EQ, "EMAIL"), 2, 1, 10, 15, null))
		.engagementMax(80)
		.halfLifeDays(14.0)
		.mql(40, 10, null)
		.grades(28, 15, 5)
		.compile();

	private static final List<String> TYPES = List.of("DEMO_REQUEST", "PRICING_VIEW", "UNSUBSCRIBE", "PAGE_VIEW",
			"PAGE_VIEW", "PAGE_VIEW", "WEBINAR", "EMAIL_OPEN", "EMAIL_OPEN", "EMAIL_CLICK", "CALL");

	@Test
	void theLedgerAddsUpAndRespectsEveryCap() {
		Random random = new Random(20250615);
		Set<Grade> grades = new LinkedHashSet<>();
		Set<Cap> caps = new LinkedHashSet<>();
		int qualified = 0;
		for (int lead = 0; lead < 500; lead++) {
			ScoreSheet sheet = POLICY.score(randomLead(random), matches(touches(random, random.nextInt(60))), NOW);
			LedgerInvariants.check(sheet);
			checkRuleCaps(sheet);
			grades.add(sheet.grade());
			sheet.entries().forEach(entry -> caps.add(entry.cap()));
			qualified += sheet.qualifies() ? 1 : 0;
		}
		assertThat(grades).containsExactlyInAnyOrder(Grade.values());
		assertThat(caps).containsExactlyInAnyOrder(Cap.values());
		assertThat(qualified).isBetween(1, 499);
	}

	@Test
	void theOrderAndRepetitionOfMatchesDoNotMatter() {
		Random random = new Random(7);
		for (int lead = 0; lead < 300; lead++) {
			Facts.LeadFacts facts = randomLead(random);
			List<Match> matches = matches(touches(random, random.nextInt(80)));
			Instant asOf = NOW.plus(Duration.ofHours(random.nextInt(1000)));
			ScoreSheet expected = POLICY.score(facts, matches, asOf);

			List<Match> shuffled = new ArrayList<>(matches);
			for (int i = random.nextInt(10); i > 0 && !matches.isEmpty(); i--) {
				shuffled.add(matches.get(random.nextInt(matches.size())));
			}
			Collections.shuffle(shuffled, random);
			assertThat(POLICY.score(facts, shuffled, asOf)).isEqualTo(expected);
			assertThat(POLICY.score(facts, new LinkedHashSet<>(shuffled), asOf)).isEqualTo(expected);
		}
	}

	@Test
	void scoringFromTheRetainedMatchesEqualsScoringFromAll() {
		Random random = new Random(42);
		int compacted = 0;
		for (int lead = 0; lead < 200; lead++) {
			Facts.LeadFacts facts = randomLead(random);
			List<Match> all = matches(touches(random, 20 + random.nextInt(400)));
			// arrival order is unrelated to occurredAt: late, out-of-order touchpoints included
			Collections.shuffle(all, random);
			List<Match> seen = new ArrayList<>();
			List<Match> retained = List.of();
			int batches = 1 + random.nextInt(8);
			int from = 0;
			for (int batch = 1; batch <= batches; batch++) {
				int to = batch == batches ? all.size() : from + random.nextInt(all.size() - from + 1);
				List<Match> arriving = new ArrayList<>(all.subList(from, to));
				if (!seen.isEmpty() && random.nextBoolean()) {
					arriving.add(seen.get(random.nextInt(seen.size())));
				}
				seen.addAll(arriving);
				from = to;

				Instant asOf = NOW.plus(Duration.ofHours(batch * random.nextInt(100)));
				ScoreSheet expected = POLICY.score(facts, seen, asOf);
				List<Match> known = new ArrayList<>(retained);
				known.addAll(arriving);
				ScoreSheet incremental = POLICY.score(facts, known, asOf);
				assertThat(incremental).isEqualTo(expected);
				retained = incremental.retained();
				compacted += retained.size() < new LinkedHashSet<>(seen).size() ? 1 : 0;
			}
			Map<String, Integer> unpaidByRule = new HashMap<>();
			for (LedgerEntry entry : POLICY.score(facts, retained, NOW).entries()) {
				if (entry.kind() == EntryKind.ENGAGEMENT && entry.points() == 0) {
					unpaidByRule.merge(entry.ruleId(), 1, Integer::sum);
				}
			}
			assertThat(unpaidByRule.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(50));
		}
		assertThat(compacted).isGreaterThan(100);
	}

	@Test
	void olderTouchpointsArrivingLateTakeThePaidSlots() {
		Instant day = Instant.parse("2025-06-01T00:00:00Z");
		List<Match> recent = new ArrayList<>();
		List<Match> older = new ArrayList<>();
		for (int i = 0; i < 80; i++) {
			recent.add(new Match("pricing", "r" + (100 + i), "PRICING_VIEW", day.plus(Duration.ofMinutes(600 + i)), 10));
			older.add(new Match("pricing", "o" + (100 + i), "PRICING_VIEW", day.plus(Duration.ofMinutes(i)), 10));
		}
		Facts.LeadFacts facts = lead().build();
		ScoreSheet first = POLICY.score(facts, recent, NOW);
		assertThat(first.retained()).hasSize(3 + 50);

		List<Match> known = new ArrayList<>(first.retained());
		known.addAll(older);
		ScoreSheet second = POLICY.score(facts, known, NOW);
		List<Match> all = new ArrayList<>(recent);
		all.addAll(older);
		assertThat(second).isEqualTo(POLICY.score(facts, all, NOW));
		assertThat(second.entries()).filteredOn(e -> e.kind() == EntryKind.ENGAGEMENT && e.cap() == Cap.NONE)
			.extracting(LedgerEntry::touchpointId)
			.containsExactlyInAnyOrder("o100", "o101", "o102");
		assertThat(second.retained()).hasSize(3 + 50);
	}

	/** Per rule: paid occurrences within maxOccurrences and maxPerDay, paid points within maxPoints. */
	private static void checkRuleCaps(ScoreSheet sheet) {
		Map<String, EngagementRule> rules = new HashMap<>();
		POLICY.document().engagementRules().forEach(rule -> rules.put(rule.id(), rule));
		Map<String, Integer> paid = new HashMap<>();
		Map<String, Long> paidPoints = new HashMap<>();
		Map<String, Integer> paidPerDay = new HashMap<>();
		for (LedgerEntry entry : sheet.entries()) {
			if (entry.kind() != EntryKind.ENGAGEMENT || entry.points() == 0) {
				continue;
			}
			EngagementRule rule = rules.get(entry.ruleId());
			assertThat(rule).isNotNull();
			assertThat(entry.rulePoints()).isEqualTo(rule.points() * 100L);
			paid.merge(rule.id(), 1, Integer::sum);
			paidPoints.merge(rule.id(), Math.abs(entry.points()), Long::sum);
			LocalDate day = LocalDate.ofInstant(entry.occurredAt(), ZoneOffset.UTC);
			paidPerDay.merge(rule.id() + "@" + day, 1, Integer::sum);
			if (rule.maxOccurrences() != null) {
				assertThat(paid.get(rule.id())).isLessThanOrEqualTo(rule.maxOccurrences());
			}
			if (rule.maxPerDay() != null) {
				assertThat(paidPerDay.get(rule.id() + "@" + day)).isLessThanOrEqualTo(rule.maxPerDay());
			}
			if (rule.maxPoints() != null) {
				assertThat(paidPoints.get(rule.id())).isLessThanOrEqualTo(rule.maxPoints() * 100L);
			}
		}
	}

	private static Facts.LeadFacts randomLead(Random random) {
		ScoringFixtures.LeadBuilder lead = lead().email(pick(random, "a@gmail.com", "b@acme.com", "c@web.de", "d@x.io"))
			.employees(random.nextInt(4) == 0 ? null : random.nextInt(1000))
			.country(pick(random, "DE", "fr", "US", "us", "GB", null))
			.title(pick(random, "VP Sales", "svp marketing", "Head of IT", "Office chief", "Engineer", null));
		Object plan = pick(random, "Enterprise", "ENTERPRISE", "pro", 7, true, null);
		if (plan != null) {
			lead.attribute("plan", plan);
		}
		Object seats = pick(random, 5, 11L, 10.5, 10, "50", false, null);
		if (seats != null) {
			lead.attribute("seats", seats);
		}
		return lead.build();
	}

	private static List<Facts.TouchFacts> touches(Random random, int count) {
		List<Facts.TouchFacts> touches = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String type = TYPES.get(random.nextInt(TYPES.size()));
			String channel = type.startsWith("EMAIL") || type.equals("UNSUBSCRIBE") ? "EMAIL" : "WEB";
			// an hour grid over 30 days gives many touchpoints per day and at the same instant; some lie ahead
			Instant occurredAt = NOW.minus(Duration.ofHours(random.nextInt(24 * 30) - 24));
			String path = pick(random, "/pricing", "/PRICING/teams", "/docs", null);
			Map<String, Object> properties = path == null ? Map.of() : Map.of("path", path);
			touches.add(new Facts.TouchFacts("tp-" + random.nextInt(1_000_000) + "-" + i, type, channel, "INBOUND", "web",
					null, null, properties, occurredAt));
		}
		return touches;
	}

	private static List<Match> matches(List<Facts.TouchFacts> touches) {
		List<Match> matches = new ArrayList<>();
		touches.forEach(touch -> matches.addAll(POLICY.matches(touch)));
		return matches;
	}

	@SafeVarargs
	private static <T> @Nullable T pick(Random random, @Nullable T... values) {
		return Arrays.asList(values).get(random.nextInt(values.length));
	}
}
