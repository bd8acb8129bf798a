package io.leadgraph.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.LedgerEntry.Cap;
import io.leadgraph.scoring.LedgerEntry.EntryKind;
import io.leadgraph.scoring.PolicyDocument.EngagementRule;
import io.leadgraph.scoring.PolicyDocument.FitRule;
import io.leadgraph.scoring.PolicyDocument.MqlThreshold;

/**
 * A validated policy version ready to score: conditions compiled once, points in centi-points. Pure
 * and thread-safe; a score depends only on the lead, the set of matches and the time.
 *
 * <p>
 * Of a rule's zero-point matches only the newest {@value #RETAINED_UNPAID} are retained (and shown in
 * the ledger). That loses nothing: a match the caps leave unpaid stays unpaid whatever matches
 * arrive later, since each rule pays the earliest occurrences that fit its caps.
 */
final class CompiledPolicy {

	static final int RETAINED_UNPAID = 50;

	/**
	 * Occurrences of one engagement rule that count for one lead at most (the first in time), whatever
	 * the rule says: every one is a ledger entry, and a ledger must stay far below MongoDB's 16 MB.
	 */
	static final int MAX_COUNTED = 500;

	private static final double MILLIS_PER_DAY = 86_400_000.0;

	private static final long SECONDS_PER_DAY = 86_400;

	// Duplicates (same rule and touchpoint) end up adjacent; the first of them is the one kept.
	private static final Comparator<Occurrence> BY_IDENTITY = Comparator.<Occurrence>comparingInt(o -> o.rule.index)
		.thenComparing(o -> o.match.touchpointId())
		.thenComparing(o -> o.match.occurredAt())
		.thenComparing(o -> o.match.touchpointType())
		.thenComparingInt(o -> o.match.rulePoints());

	private static final Comparator<Occurrence> IN_TIME = Comparator.<Occurrence>comparingInt(o -> o.rule.index)
		.thenComparing(o -> o.match.occurredAt())
		.thenComparing(o -> o.match.touchpointId());

	private static final Comparator<Occurrence> NEWEST_FIRST = Comparator
		.<Occurrence, Instant>comparing(o -> o.match.occurredAt(), Comparator.reverseOrder())
		.thenComparing(o -> o.match.touchpointId(), Comparator.reverseOrder())
		.thenComparingInt(o -> o.rule.index);

	private final String policyId;

	private final int version;

	private final PolicyDocument document;

	private final CompiledFit[] fitRules;

	private final CompiledEngagement[] engagementRules;

	private final Map<String, CompiledEngagement> engagementById;

	private final @Nullable Long fitMax;

	private final @Nullable Long engagementMax;

	private final @Nullable Double halfLifeDays;

	private final long gradeA;

	private final long gradeB;

	private final long gradeC;

	private final @Nullable Long mqlTotal;

	private final @Nullable Long mqlFit;

	private final @Nullable Long mqlEngagement;

	private CompiledPolicy(String policyId, int version, PolicyDocument document) {
		this.policyId = policyId;
		this.version = version;
		this.document = document;
		this.fitRules = document.fitRules()
			.stream()
			.map(rule -> new CompiledFit(rule.id(), Conditions.compile(rule.when()), Conditions.fields(rule.when()),
					centi(rule.points())))
			.toArray(CompiledFit[]::new);
		List<EngagementRule> engagement = document.engagementRules();
		this.engagementRules = new CompiledEngagement[engagement.size()];
		this.engagementById = new HashMap<>();
		for (int i = 0; i < engagementRules.length; i++) {
			engagementRules[i] = new CompiledEngagement(i, engagement.get(i));
			engagementById.putIfAbsent(engagementRules[i].id, engagementRules[i]);
		}
		this.fitMax = centi(document.fitMax());
		this.engagementMax = centi(document.engagementMax());
		this.halfLifeDays = document.halfLifeDays();
		this.gradeA = centi(document.grades().a());
		this.gradeB = centi(document.grades().b());
		this.gradeC = centi(document.grades().c());
		MqlThreshold mql = document.mqlThreshold();
		this.mqlTotal = centi(mql.total());
		this.mqlFit = centi(mql.fit());
		this.mqlEngagement = centi(mql.engagement());
	}

	/** Compiles a policy document that has been validated. */
	static CompiledPolicy compile(String policyId, int version, PolicyDocument document) {
		return new CompiledPolicy(policyId, version, document);
	}

	String policyId() {
		return policyId;
	}

	int version() {
		return version;
	}

	PolicyDocument document() {
		return document;
	}

	/** The engagement rules a touchpoint matches, in rule order. */
	List<Match> matches(Facts.TouchFacts touch) {
		List<Match> matches = new ArrayList<>(2);
		for (CompiledEngagement rule : engagementRules) {
			if (rule.when.test(touch)) {
				matches.add(new Match(rule.id, touch.touchpointId(), touch.type(), touch.occurredAt(), rule.declaredPoints));
			}
		}
		return matches;
	}

	/**
	 * Scores a lead from the matches of its touchpoints (any order; duplicates and matches of rules
	 * this policy does not have are ignored), decaying engagement as of {@code asOf}.
	 */
	ScoreSheet score(Facts.LeadFacts lead, Collection<Match> matches, Instant asOf) {
		List<LedgerEntry> entries = new ArrayList<>(fitRules.length + 12);
		long fit = 0;
		for (CompiledFit rule : fitRules) {
			if (rule.when.test(lead)) {
				entries.add(new LedgerEntry(EntryKind.FIT, rule.id, null, null, null, rule.fields, rule.points,
						rule.points, rule.points, Cap.NONE));
				fit += rule.points;
			}
		}
		if (fitMax != null && fit > fitMax) {
			entries.add(LedgerEntry.correction(EntryKind.FIT_CAP, fitMax - fit));
			fit = fitMax;
		}

		Occurrence[] occurrences = canonical(matches, lead.engagementSince());
		List<Occurrence> retained = new ArrayList<>(occurrences.length);
		int start = 0;
		while (start < occurrences.length) {
			int end = start + 1;
			while (end < occurrences.length && occurrences[end].rule == occurrences[start].rule) {
				end++;
			}
			pay(occurrences, start, end, retained);
			start = end;
		}
		retained.sort(NEWEST_FIRST);

		long asOfMillis = asOf.toEpochMilli();
		long engagement = 0;
		List<Match> retainedMatches = new ArrayList<>(retained.size());
		for (Occurrence occurrence : retained) {
			Match match = occurrence.match;
			long decayed = decay(occurrence.rule, occurrence.points, match.occurredAt(), asOfMillis);
			entries.add(new LedgerEntry(EntryKind.ENGAGEMENT, match.ruleId(), match.touchpointId(),
					match.touchpointType(), match.occurredAt(), List.of(), occurrence.rule.points, occurrence.points,
					decayed, occurrence.cap));
			retainedMatches.add(match);
			engagement += decayed;
		}
		if (engagementMax != null && engagement > engagementMax) {
			entries.add(LedgerEntry.correction(EntryKind.ENGAGEMENT_CAP, engagementMax - engagement));
			engagement = engagementMax;
		}

		long total = fit + engagement;
		return new ScoreSheet(fit, engagement, total, grade(fit), qualifies(total, fit, engagement), asOf, entries,
				retainedMatches);
	}

	/** The matches of known rules, one per rule and touchpoint, by rule and then in time order. */
	/** Touchpoints before {@code since} (sales sent the lead back and reset its engagement) do not count. */
	private Occurrence[] canonical(Collection<Match> matches, @Nullable Instant since) {
		Occurrence[] all = new Occurrence[matches.size()];
		int count = 0;
		for (Match match : matches) {
			CompiledEngagement rule = engagementById.get(match.ruleId());
			if (rule != null && (since == null || !match.occurredAt().isBefore(since))) {
				all[count++] = new Occurrence(rule, match);
			}
		}
		Arrays.sort(all, 0, count, BY_IDENTITY);
		int distinct = 0;
		for (int i = 0; i < count; i++) {
			if (distinct == 0 || all[distinct - 1].rule != all[i].rule
					|| !all[distinct - 1].match.touchpointId().equals(all[i].match.touchpointId())) {
				all[distinct++] = all[i];
			}
		}
		Occurrence[] unique = Arrays.copyOf(all, distinct);
		Arrays.sort(unique, IN_TIME);
		return unique;
	}

	/**
	 * Pays one rule's occurrences {@code [start, end)} (in time order) within its caps and retains the
	 * paid ones and the newest unpaid ones.
	 */
	private static void pay(Occurrence[] occurrences, int start, int end, List<Occurrence> retained) {
		CompiledEngagement rule = occurrences[start].rule;
		long magnitude = Math.abs(rule.points);
		int paid = 0;
		long paidPoints = 0;
		long day = Long.MIN_VALUE;
		int paidToday = 0;
		for (int i = start; i < end; i++) {
			Occurrence occurrence = occurrences[i];
			long occurrenceDay = Math.floorDiv(occurrence.match.occurredAt().getEpochSecond(), SECONDS_PER_DAY);
			if (occurrenceDay != day) {
				day = occurrenceDay;
				paidToday = 0;
			}
			if (paid >= rule.maxOccurrences) {
				occurrence.cap = Cap.MAX_OCCURRENCES;
			}
			else if (paidToday >= rule.maxPerDay) {
				occurrence.cap = Cap.MAX_PER_DAY;
			}
			else if (rule.maxPoints - paidPoints < magnitude) {
				long remainder = rule.maxPoints - paidPoints;
				occurrence.points = rule.points < 0 ? -remainder : remainder;
				occurrence.cap = Cap.MAX_POINTS;
			}
			else {
				occurrence.points = rule.points;
			}
			if (occurrence.points != 0) {
				paid++;
				paidToday++;
				paidPoints += Math.abs(occurrence.points);
				retained.add(occurrence);
			}
		}
		int unpaidKept = 0;
		for (int i = end - 1; i >= start && unpaidKept < RETAINED_UNPAID; i--) {
			if (occurrences[i].points == 0) {
				retained.add(occurrences[i]);
				unpaidKept++;
			}
		}
	}

	private long decay(CompiledEngagement rule, long points, Instant occurredAt, long asOfMillis) {
		if (points == 0 || halfLifeDays == null || !rule.decays) {
			return points;
		}
		double ageDays = Math.max(0, asOfMillis - occurredAt.toEpochMilli()) / MILLIS_PER_DAY;
		return Math.round(points * StrictMath.pow(0.5, ageDays / halfLifeDays));
	}

	private Grade grade(long fit) {
		if (fit >= gradeA) {
			return Grade.A;
		}
		if (fit >= gradeB) {
			return Grade.B;
		}
		return fit >= gradeC ? Grade.C : Grade.D;
	}

	private boolean qualifies(long total, long fit, long engagement) {
		if (mqlTotal == null && mqlFit == null && mqlEngagement == null) {
			return false;
		}
		return (mqlTotal == null || total >= mqlTotal) && (mqlFit == null || fit >= mqlFit)
				&& (mqlEngagement == null || engagement >= mqlEngagement);
	}

	private static long centi(int points) {
		return points * 100L;
	}

	private static @Nullable Long centi(@Nullable Integer points) {
		return points == null ? null : points * 100L;
	}

	/** A fit rule with its condition compiled and its points in centi-points. */
	private record CompiledFit(String id, Predicate<Facts> when, List<String> fields, long points) {
	}

	/** An engagement rule with its caps as plain numbers (no cap: the largest value). */
	private static final class CompiledEngagement {

		final int index;

		final String id;

		final Predicate<Facts> when;

		final int declaredPoints;

		final long points;

		final int maxPerDay;

		final int maxOccurrences;

		final long maxPoints;

		final boolean decays;

		CompiledEngagement(int index, EngagementRule rule) {
			this.index = index;
			this.id = rule.id();
			this.when = Conditions.compile(rule.when());
			this.declaredPoints = rule.points();
			this.points = centi(rule.points());
			this.maxPerDay = rule.maxPerDay() == null ? Integer.MAX_VALUE : rule.maxPerDay();
			this.maxOccurrences = rule.maxOccurrences() == null ? MAX_COUNTED
					: Math.min(rule.maxOccurrences(), MAX_COUNTED);
			this.maxPoints = rule.maxPoints() == null ? Long.MAX_VALUE : centi(rule.maxPoints());
			this.decays = rule.decaying();
		}
	}

	/** One rule's match of one touchpoint while it is being paid. */
	private static final class Occurrence {

		final CompiledEngagement rule;

		final Match match;

		long points;

		Cap cap = Cap.NONE;

		Occurrence(CompiledEngagement rule, Match match) {
			this.rule = rule;
			this.match = match;
		}
	}
}
