package io.leadgraph.partner;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Stage;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A partner's referral and its outcome. Made (PROCESSING) before anything else happens, keyed by
 * partner + the partner's reference, so a retry finds it and answers its outcome; one left
 * PROCESSING by a crash is taken over by a retry after {@link ReferralDecisions#TAKE_OVER_AFTER}.
 *
 * @param key partner id + U+001F + reference: unique
 * @param contact the referred contact as validated: a retry that takes over decides from it
 * @param keys the registration keys the referral claims, in the order it claims them
 * @param leadId the lead an accepted referral registered; set (with {@code protectedUntil} and
 * {@code acceptedStage}) before the decision's event is recorded, so whoever sees the event finds it
 * @param acceptedStage the lead's stage when the referral registered it
 * @param recallAt when sales must have accepted the lead by, else the referral is recalled
 * @param timerAt when {@link ReferralTimers} next looks at an accepted referral (recall, then expiry);
 * null once it expired
 */
@Document("referrals")
@CompoundIndex(name = "partner_submitted", def = "{'partnerId': 1, 'submittedAt': -1, '_id': -1}")
record Referral(@Id String id, @Indexed(name = "partner_reference", unique = true) String key, String partnerId,
		String reference, Contact contact, @Nullable String notes, List<String> keys, State state,
		@Nullable ConflictReason conflict,
		@Nullable Instant conflictSince, @Nullable String leadId, @Nullable Instant protectedUntil,
		@Nullable Stage acceptedStage, Instant submittedAt, Instant claimedAt, @Nullable Instant recallAt,
		@Nullable Instant recalledAt, @Nullable Instant expiredAt, @Indexed(name = "timer", sparse = true) @Nullable Instant timerAt) {

	/** A new referral, PROCESSING, claimed by its submitter. */
	static Referral submitted(String id, String partnerId, String reference, Contact contact, @Nullable String notes,
			List<String> keys, Instant now) {
		return new Referral(id, key(partnerId, reference), partnerId, reference, contact, notes, keys, State.PROCESSING,
				null, null, null, null, null, now, now, null, null, null, null);
	}

	Referral claimedAt(Instant at) {
		return new Referral(id, key, partnerId, reference, contact, notes, keys, state, conflict, conflictSince, leadId,
				protectedUntil, acceptedStage, submittedAt, at, recallAt, recalledAt, expiredAt, timerAt);
	}

	static String key(String partnerId, String reference) {
		return partnerId + '\u001f' + reference;
	}

	/** The referred contact and company, normalised as a lead would take them. */
	record Contact(String email, @Nullable String firstName, @Nullable String lastName, @Nullable String title,
			@Nullable String phone, @Nullable String companyName, @Nullable String companyDomain,
			@Nullable Integer employees, @Nullable String industry, @Nullable String country) {
	}

	enum State {
		PROCESSING, ACCEPTED, CONFLICT
	}

	enum ConflictReason {
		ALREADY_REGISTERED, EXISTING_CUSTOMER, OPEN_OPPORTUNITY, ALREADY_SUBMITTED
	}
}
