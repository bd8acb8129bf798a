package io.leadgraph.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.Stage;
import io.leadgraph.lead.StageTransition;
import io.leadgraph.scoring.Facts.LeadFacts;
import io.leadgraph.scoring.Facts.TouchFacts;
import io.leadgraph.scoring.LeadHistories.LeadHistory;
import io.leadgraph.scoring.ScoringSimulation.LeadSample;
import io.leadgraph.scoring.ScoringSimulation.PolicyOutcome;
import io.leadgraph.scoring.ScoringSimulation.ScoreBucket;

import org.springframework.stereotype.Component;

/**
 * Dry runs: one streaming pass over every lead scoring it under a policy and under the active one,
 * writing nothing. A lead sales accepted in the window (it reached SQL, OPPORTUNITY or CUSTOMER)
 * counts as a positive, one sent back (RECYCLED from MQL or later) or DISQUALIFIED as a negative;
 * each is scored as of the moment it was decided, with the touchpoints it had then, so what sales
 * did afterwards does not flatter the policy. Fit uses the lead's current attributes.
 */
@Component
class ScoringSimulator {

	private static final Set<Stage> ACCEPTED = EnumSet.of(Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER);

	private static final Set<Stage> HANDED_TO_SALES = EnumSet.of(Stage.MQL, Stage.SQL, Stage.OPPORTUNITY);

	private static final long BUCKET = 1000;

	private final LeadHistories histories;

	ScoringSimulator(LeadHistories histories) {
		this.histories = histories;
	}

	ScoringSimulation simulate(CompiledPolicy draft, @Nullable CompiledPolicy active, @Nullable Integer draftVersion,
			boolean inline, Instant from, Instant to, int sample) {
		Tally draftTally = new Tally();
		Tally activeTally = new Tally();
		List<Lead> newly = new ArrayList<>();
		List<Lead> noLonger = new ArrayList<>();
		int newlyCount = 0;
		int noLongerCount = 0;
		int evaluated = 0;
		TreeMap<Long, int[]> buckets = new TreeMap<>();
		try (LeadHistories.Cursor cursor = histories.open(null)) {
			while (cursor.hasNext()) {
				LeadHistory history = cursor.next();
				Lead lead = history.lead();
				if (lead.createdAt().isAfter(to)) {
					continue;
				}
				evaluated++;
				LeadFacts facts = Facts.LeadFacts.of(lead);
				ScoreSheet byDraft = score(draft, facts, history.touches(), to);
				bucket(buckets, byDraft.total())[0]++;
				draftTally.mql += byDraft.qualifies() ? 1 : 0;
				boolean activeQualifies = false;
				if (active != null) {
					ScoreSheet byActive = score(active, facts, history.touches(), to);
					bucket(buckets, byActive.total())[1]++;
					activeQualifies = byActive.qualifies();
					activeTally.mql += activeQualifies ? 1 : 0;
				}
				if (byDraft.qualifies() && !activeQualifies) {
					newlyCount++;
					addSample(newly, lead, sample);
				}
				else if (!byDraft.qualifies() && activeQualifies) {
					noLongerCount++;
					addSample(noLonger, lead, sample);
				}
				Decision decision = decision(lead, from, to);
				if (decision != null) {
					draftTally.count(score(draft, facts, history.touches(), decision.at()).qualifies(), decision.accepted());
					if (active != null) {
						activeTally.count(score(active, facts, history.touches(), decision.at()).qualifies(),
								decision.accepted());
					}
				}
			}
		}
		List<ScoreBucket> histogram = new ArrayList<>();
		buckets.forEach((index, counts) -> histogram
			.add(new ScoreBucket(index * BUCKET / 100.0, (index + 1) * BUCKET / 100.0, counts[0], counts[1])));
		return new ScoringSimulation(inline ? null : draft.policyId(), draftVersion, from, to, evaluated,
				draftTally.outcome(), active == null ? null : activeTally.outcome(), new LeadSample(newlyCount, newly),
				new LeadSample(noLongerCount, noLonger), histogram);
	}

	/** The first time in the window sales accepted the lead, or else sent it back or disqualified it. */
	private static @Nullable Decision decision(Lead lead, Instant from, Instant to) {
		Decision rejected = null;
		for (StageTransition move : lead.stageHistory()) {
			if (move.at().isBefore(from) || move.at().isAfter(to)) {
				continue;
			}
			if (ACCEPTED.contains(move.to())) {
				return new Decision(move.at(), true);
			}
			boolean sentBack = move.to() == Stage.RECYCLED && move.from() != null && HANDED_TO_SALES.contains(move.from());
			if (rejected == null && (sentBack || move.to() == Stage.DISQUALIFIED)) {
				rejected = new Decision(move.at(), false);
			}
		}
		return rejected;
	}

	private record Decision(Instant at, boolean accepted) {
	}

	private static ScoreSheet score(CompiledPolicy policy, LeadFacts facts, List<TouchFacts> touches, Instant asOf) {
		List<Match> matches = new ArrayList<>();
		for (TouchFacts touch : touches) {
			if (!touch.occurredAt().isAfter(asOf)) {
				matches.addAll(policy.matches(touch));
			}
		}
		return policy.score(facts, matches, asOf);
	}

	private static int[] bucket(TreeMap<Long, int[]> buckets, long centiPoints) {
		return buckets.computeIfAbsent(Math.floorDiv(centiPoints, BUCKET), index -> new int[2]);
	}

	private static void addSample(List<Lead> sample, Lead lead, int size) {
		if (sample.size() < size) {
			sample.add(lead);
		}
	}

	/** Verdicts of one policy against what happened. */
	private static final class Tally {

		int mql;

		int truePositives;

		int falsePositives;

		int falseNegatives;

		int trueNegatives;

		void count(boolean predicted, boolean accepted) {
			if (predicted && accepted) {
				truePositives++;
			}
			else if (predicted) {
				falsePositives++;
			}
			else if (accepted) {
				falseNegatives++;
			}
			else {
				trueNegatives++;
			}
		}

		PolicyOutcome outcome() {
			int predicted = truePositives + falsePositives;
			int actual = truePositives + falseNegatives;
			return new PolicyOutcome(mql, truePositives + falsePositives + falseNegatives + trueNegatives, truePositives,
					falsePositives, falseNegatives, trueNegatives,
					predicted == 0 ? null : (double) truePositives / predicted,
					actual == 0 ? null : (double) truePositives / actual);
		}
	}
}
