package io.leadgraph.partner;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

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
 */
@Document("referrals")
@CompoundIndex(name = "partner_submitted", def = "{'partnerId': 1, 'submittedAt': -1, '_id': -1}")
record Referral(@Id String id, @Indexed(name = "partner_reference", unique = true) String key, String partnerId,
		String reference, Contact contact, @Nullable String notes, List<String> keys, State state,
		@Nullable ConflictReason conflict,
		@Nullable Instant conflictSince, @Nullable String leadId, @Nullable Instant protectedUntil, Instant submittedAt,
		Instant claimedAt) {

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
