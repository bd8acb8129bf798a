package io.leadgraph.lead;

import java.util.List;

/**
 * Outcomes of the lead mutations. Each record's simple name is its GraphQL type name, which is how
 * Spring GraphQL resolves the payload unions.
 */
public final class LeadPayloads {

	private LeadPayloads() {
	}

	public sealed interface CreateLeadPayload permits LeadCreated, LeadAlreadyExists {
	}

	public sealed interface UpdateLeadPayload permits LeadUpdated, LeadVersionConflict, LeadAlreadyExists {
	}

	public sealed interface MoveLeadStagePayload permits StageMoved, StageTransitionRefused {
	}

	public record LeadCreated(Lead lead) implements CreateLeadPayload {
	}

	public record LeadAlreadyExists(Lead existingLead) implements CreateLeadPayload, UpdateLeadPayload {
	}

	public record LeadUpdated(Lead lead, List<String> changedFields) implements UpdateLeadPayload {
	}

	public record LeadVersionConflict(long expectedVersion, Lead lead) implements UpdateLeadPayload {
	}

	public record StageMoved(Lead lead, StageTransition transition) implements MoveLeadStagePayload {
	}

	public record StageTransitionRefused(StageRefusalReason reason, String message, Stage current,
			List<Stage> allowed) implements MoveLeadStagePayload {
	}

	public enum StageRefusalReason {
		ILLEGAL_TRANSITION, ALREADY_IN_STAGE, NOT_PERMITTED_FOR_ROLE, REASON_REQUIRED, STALE_VERSION
	}
}
