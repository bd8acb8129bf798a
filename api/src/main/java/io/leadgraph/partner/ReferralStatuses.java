package io.leadgraph.partner;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.Stage;
import io.leadgraph.lead.StageTransition;
import io.leadgraph.partner.PartnerPayloads.ReferralStatus;

/** A referral's coarse status, as its partner sees it, from its lead's stage, its recall and its protection. */
final class ReferralStatuses {

	private ReferralStatuses() {
	}

	/**
	 * The status at {@code at}, from the lead's stage then — or, once protection ended, its stage at
	 * the end (see {@link #counted}): won or lost by that stage; else expired once protection ended;
	 * else accepted by sales (SQL, OPPORTUNITY), recalled, in review (MQL, RECYCLED) or submitted.
	 */
	static ReferralStatus at(@Nullable Stage stage, @Nullable Instant protectedUntil, @Nullable Instant recalledAt,
			Instant at) {
		if (stage == Stage.CUSTOMER) {
			return ReferralStatus.WON;
		}
		if (stage == Stage.DISQUALIFIED) {
			return ReferralStatus.LOST;
		}
		if (protectedUntil != null && !at.isBefore(protectedUntil)) {
			return ReferralStatus.EXPIRED;
		}
		if (stage == Stage.SQL || stage == Stage.OPPORTUNITY) {
			return ReferralStatus.ACCEPTED_BY_SALES;
		}
		if (recalledAt != null && !at.isBefore(recalledAt)) {
			return ReferralStatus.RECALLED;
		}
		return stage == Stage.MQL || stage == Stage.RECYCLED ? ReferralStatus.IN_REVIEW : ReferralStatus.SUBMITTED;
	}

	/**
	 * The lead's stage that counts for a referral at {@code at}: its stage now while protected, else
	 * the one it had when protection ended — what happens to the lead later is no longer the
	 * partner's (another partner may have registered it).
	 */
	static Stage counted(Lead lead, Instant protectedUntil, Instant at) {
		if (at.isBefore(protectedUntil)) {
			return lead.stage();
		}
		Stage stage = Stage.NEW;
		for (StageTransition move : lead.stageHistory()) {
			if (move.at().isBefore(protectedUntil)) {
				stage = move.to();
			}
		}
		return stage;
	}
}
