package io.leadgraph.partner;

/** The event types referrals record on a lead's log (described in the SDL's LeadEventType). */
final class PartnerEvents {

	static final String ACCEPTED = "REFERRAL_ACCEPTED";

	static final String CONFLICT = "REFERRAL_CONFLICT";

	private PartnerEvents() {
	}
}
