package io.leadgraph.scoring;

import org.jspecify.annotations.Nullable;

/** Outcomes of scoring mutations. */
final class ScoringPayloads {

	private ScoringPayloads() {
	}

	sealed interface ActivateScoringPolicyPayload permits ScoringPolicyActivated, ScoringPolicyActivationRefused {
	}

	record ScoringPolicyActivated(PolicyView policy, @Nullable PolicyView previous, ScoringJob job)
			implements ActivateScoringPolicyPayload {
	}

	record ScoringPolicyActivationRefused(ActivationRefusal reason, String message, PolicyView policy)
			implements ActivateScoringPolicyPayload {
	}

	enum ActivationRefusal {

		ALREADY_ACTIVE

	}
}
