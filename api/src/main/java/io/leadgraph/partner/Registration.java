package io.leadgraph.partner;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A company registered to a partner until {@code until}. The id is the company's registration key
 * ({@link ReferralMatching#registrationKeys}): a unique key, so of two partners racing for one
 * company exactly one inserts it.
 */
@Document("registrations")
record Registration(@Id String key, String partnerId, String referralId, @Nullable String leadId, Instant since,
		Instant until) {
}
