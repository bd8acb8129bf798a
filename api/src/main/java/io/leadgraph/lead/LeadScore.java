package io.leadgraph.lead;

import java.time.Instant;

/**
 * A lead's current score as the active scoring policy computed it; the scoring feature keeps the
 * ledger that explains it.
 *
 * @param grade fit grade, A (best) to D
 * @param qualified whether the score meets the policy's MQL threshold
 */
public record LeadScore(double total, double fit, double engagement, String grade, String policyId,
		int policyVersion, Instant computedAt, boolean qualified) {
}
