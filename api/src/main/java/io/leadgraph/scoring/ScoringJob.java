package io.leadgraph.scoring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A pass that scores every lead under one policy version as of one time: after an activation, and on
 * schedule to refresh decay. It runs on one instance at a time (a lease) in chunks, recording after
 * each chunk where it stands, so another instance or a restart continues where it stopped.
 *
 * @param asOf the time every score of the pass is computed as of, so a pass is deterministic
 * @param resumeAfter the id of the last lead done
 * @param changed leads whose score changed enough to be an event
 * @param qualified leads the pass moved to MQL
 */
@Document("scoring_jobs")
@CompoundIndex(name = "status_created", def = "{'status': 1, 'createdAt': 1}")
@CompoundIndex(name = "newest", def = "{'createdAt': -1}")
record ScoringJob(@Id String id, Kind kind, String policyId, int policyVersion, Status status, Instant asOf,
		long total, long processed, long changed, long qualified, @Nullable String resumeAfter,
		@Nullable String owner, @Nullable Instant leaseUntil, String requestedBy, Instant createdAt,
		@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String error) {

	enum Kind {

		/** Scores every lead under a version just activated. */
		ACTIVATION,
		/** Scores every lead again as of now, so decay shows. */
		REFRESH

	}

	enum Status {

		QUEUED, RUNNING, COMPLETED, FAILED, SUPERSEDED;

		boolean finished() {
			return this == COMPLETED || this == FAILED || this == SUPERSEDED;
		}
	}

	String policyKey() {
		return ScoringPolicy.key(policyId, policyVersion);
	}
}
