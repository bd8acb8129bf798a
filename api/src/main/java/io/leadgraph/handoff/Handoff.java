package io.leadgraph.handoff;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One routing of an MQL: to a rep (PENDING until they accept or reject it, or it is reassigned) or
 * to the fallback queue (QUEUED). Made once per MQL move, keyed by that move's event id. Changes are
 * compare-and-set on {@code status}; {@code timerAt} is when something is next due for it (finishing
 * a write a crash interrupted, the SLA's at-risk or breach moment).
 *
 * @param qualifiedAt when the lead became MQL
 * @param assignedAt when the handoff was made (routed or queued)
 * @param responseWindowSeconds the rep's time to first touch in their working time; 0 when queued
 * @param firstTouchAt the first OUTBOUND touchpoint the rep recorded, or the accept
 * @param engagementReset whether the rejection reset the lead's engagement (the active scoring
 * policy's choice when it was decided)
 */
@Document("handoffs")
@CompoundIndex(name = "rep_status_due", def = "{'repId': 1, 'status': 1, 'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "team_status_due", def = "{'team': 1, 'status': 1, 'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "status_due", def = "{'status': 1, 'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "rep_due", def = "{'repId': 1, 'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "team_due", def = "{'team': 1, 'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "due", def = "{'dueAt': 1, '_id': 1}")
@CompoundIndex(name = "lead_assigned", def = "{'leadId': 1, 'assignedAt': -1}")
@CompoundIndex(name = "assigned", def = "{'assignedAt': 1, '_id': 1}")
@CompoundIndex(name = "timer", def = "{'timerAt': 1}")
record Handoff(@Id String id, @Indexed(name = "mql_event", unique = true) String mqlEventId, String leadId,
		@Nullable String repId, @Nullable String repName, @Nullable String team, @Nullable String ruleId,
		@Nullable String queue, HandoffStatus status, String source, @Nullable String campaignId,
		@Nullable String policyVersion, Instant qualifiedAt, Instant assignedAt, long responseWindowSeconds,
		@Nullable Instant atRiskAt, @Nullable Instant dueAt, SlaStatus sla, @Nullable Instant firstTouchAt,
		@Nullable Instant decidedAt, @Nullable String decidedBy, @Nullable RejectionReason rejectionReason,
		@Nullable String rejectionNote, boolean engagementReset, @Nullable String previousHandoffId, boolean released,
		@Nullable Instant timerAt) {

	static final String FALLBACK_QUEUE = "fallback";

	enum HandoffStatus {
		PENDING, QUEUED, ACCEPTED, REJECTED, REASSIGNED, CLOSED
	}

	enum SlaStatus {
		ON_TRACK, AT_RISK, BREACHED, MET, NONE
	}

	/** Why sales sent a lead back; some reasons mean the lead is not worth nurturing. */
	enum RejectionReason {

		NOT_A_FIT(true), NO_BUDGET(false), NO_AUTHORITY(false), BAD_CONTACT_DATA(true), ALREADY_CUSTOMER(true),
		COMPETITOR(true), NOT_READY(false), DUPLICATE(true), OTHER(false);

		private final boolean disqualifies;

		RejectionReason(boolean disqualifies) {
			this.disqualifies = disqualifies;
		}

		boolean disqualifies() {
			return disqualifies;
		}
	}
}
