package io.leadgraph.partner;

/** The event types referrals record on a lead's log (described in the SDL's LeadEventType). */
final class PartnerEvents {

	static final String ACCEPTED = "REFERRAL_ACCEPTED";

	static final String CONFLICT = "REFERRAL_CONFLICT";

	static final String RECALLED = "REFERRAL_RECALLED";

	static final String EXPIRED = "REFERRAL_EXPIRED";

	/** The one type partners see: their view of the events above and of their leads' stage moves. */
	static final String STATUS_CHANGED = "REFERRAL_STATUS_CHANGED";

	private PartnerEvents() {
	}
}
