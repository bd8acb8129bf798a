package io.leadgraph.lead;

import org.jspecify.annotations.Nullable;

/**
 * A change the sales handoff makes to a lead, applied only while the lead is in {@code requiredStage}:
 * a new owner and/or a stage move, explained by an event recorded in the same write.
 *
 * @param owner the new owner, or null to keep the current one
 * @param moveTo the stage to move to, or null for none
 * @param reason the reason of the move
 * @param resetEngagement whether touchpoints before now stop counting for the lead's engagement score
 * @param event the event that explains the change; its id makes the change idempotent
 */
public record Handover(String leadId, Stage requiredStage, @Nullable Owner owner, @Nullable Stage moveTo,
		@Nullable String reason, boolean resetEngagement, LeadEventDraft event) {

	/** A change that explains itself with an event and keeps the lead's engagement. */
	public Handover(String leadId, Stage requiredStage, @Nullable Owner owner, @Nullable Stage moveTo,
			@Nullable String reason, LeadEventDraft event) {
		this(leadId, requiredStage, owner, moveTo, reason, false, event);
	}

	/** What became of a handover. */
	public enum Outcome {
		/** Written now. */
		APPLIED,
		/** Written before (its event is in the lead's outbox or log). */
		ALREADY_APPLIED,
		/** The lead is no longer in the required stage: nothing written. */
		WRONG_STAGE,
		/** No such lead. */
		NOT_FOUND
	}
}
