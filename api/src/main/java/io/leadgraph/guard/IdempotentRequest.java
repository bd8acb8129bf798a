package io.leadgraph.guard;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A mutation sent with an {@code Idempotency-Key}: claimed (RUNNING) before it runs, then DONE with
 * the response it got, kept until {@code expiresAt} (a TTL index on real MongoDB, and
 * {@link IdempotencyKeyPurge} for the embedded store, which ignores TTL indexes).
 *
 * @param id the client (token subject) + U+001F + the key: keys are per client
 * @param fingerprint what was asked: a digest of the document, operation name and variables
 * @param response the response as sent, JSON, once DONE
 * @param claim who runs the request: only that claimant stores its response or gives the key back
 */
@Document("idempotency_keys")
record IdempotentRequest(@Id String id, String fingerprint, State state, @Nullable String response, String claim,
		Instant claimedAt,
		@Indexed(name = "expiry", expireAfter = "0s") Instant expiresAt) {

	enum State {
		RUNNING, DONE
	}
}
