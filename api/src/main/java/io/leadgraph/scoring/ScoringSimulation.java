package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;

/**
 * What a policy would do, computed without writing anything.
 *
 * @param policyId the draft simulated, null for a policy given inline
 * @param leadsEvaluated leads that existed at the window's end
 * @param draft how the simulated policy does
 * @param active how the active policy does, null when none is active
 */
public record ScoringSimulation(@Nullable String policyId, @Nullable Integer policyVersion, Instant from, Instant to,
		int leadsEvaluated, PolicyOutcome draft, @Nullable PolicyOutcome active, LeadSample newlyMql,
		LeadSample noLongerMql, List<ScoreBucket> histogram) {

	/**
	 * How one policy does on the leads: how many it would qualify at the window's end, and how its
	 * verdict at the moment each decided lead was decided compares with what sales then did.
	 */
	public record PolicyOutcome(int mqlCount, int decided, int truePositives, int falsePositives, int falseNegatives,
			int trueNegatives, @Nullable Double precision, @Nullable Double recall) {
	}

	/** How many leads, and the first of them. */
	public record LeadSample(int count, List<Lead> leads) {
	}

	/** Leads whose total score is in [from, to), under the simulated and the active policy. */
	public record ScoreBucket(double from, double to, int draft, int active) {
	}
}
