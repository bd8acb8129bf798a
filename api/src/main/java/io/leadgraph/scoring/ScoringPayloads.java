package io.leadgraph.scoring;

import org.jspecify.annotations.Nullable;

/** Outcomes of scoring mutations. */
public final class ScoringPayloads {

	private ScoringPayloads() {
	}

	public sealed interface ActivateScoringPolicyPayload permits ScoringPolicyActivated, ScoringPolicyActivationRefused {
	}

	public record ScoringPolicyActivated(PolicyView policy, @Nullable PolicyView previous, ScoringJob job)
			implements ActivateScoringPolicyPayload {
	}

	public record ScoringPolicyActivationRefused(ActivationRefusal reason, String message, PolicyView policy)
			implements ActivateScoringPolicyPayload {
	}

	public enum ActivationRefusal {

		ALREADY_ACTIVE

	}
}
