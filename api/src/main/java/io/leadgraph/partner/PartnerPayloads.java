package io.leadgraph.partner;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.partner.Referral.ConflictReason;

/** The partner feature's payloads: what a partner sees, and nothing else (unions resolve by class name). */
final class PartnerPayloads {

	private PartnerPayloads() {
	}

	record SavePartnerPayload(Partner partner) {
	}

	sealed interface SubmitReferralPayload permits ReferralAccepted, ReferralConflict, ReferralRejected {
	}

	record ReferralAccepted(ReferralView referral, ReferredLead lead, Instant protectedUntil)
			implements SubmitReferralPayload {
	}

	record ReferralConflict(ConflictReason reason, Instant since) implements SubmitReferralPayload {
	}

	record ReferralRejected(List<ReferralError> errors) implements SubmitReferralPayload {
	}

	record ReferralError(String field, String code, String message) {
	}

	/** A lead as partners see it: its id. */
	record ReferredLead(String id) {
	}

	/** A referral as its partner sees it. */
	record ReferralView(String id, String reference, ReferredLead lead, ReferralStatus status,
			@Nullable Instant protectedUntil, Instant submittedAt) {
	}

	enum ReferralStatus {
		SUBMITTED, IN_REVIEW, ACCEPTED_BY_SALES, WON, LOST, RECALLED, EXPIRED
	}
}
