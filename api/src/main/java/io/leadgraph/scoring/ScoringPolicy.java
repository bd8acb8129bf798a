package io.leadgraph.scoring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One version of a scoring policy. Frozen once activated: only unfrozen versions (DRAFTs) are saved
 * over. Which version is ACTIVE is said by {@link ActivePolicy} alone, so switching it is one atomic
 * write whatever happens to the version documents.
 *
 * @param key {@code policyId@version}
 * @param revision guards saves of a draft against concurrent saves and activation
 */
@Document("scoring_policies")
@CompoundIndex(name = "policy_versions", def = "{'policyId': 1, 'version': -1}", unique = true)
@CompoundIndex(name = "newest", def = "{'createdAt': -1}")
record ScoringPolicy(@Id String key, String policyId, int version, PolicyDocument document, boolean frozen,
		String author, Instant createdAt, Instant updatedAt, @Nullable Instant activatedAt,
		@Version @Nullable Long revision) {

	static String key(String policyId, int version) {
		return policyId + "@" + version;
	}

	ScoringPolicy withDocument(PolicyDocument changed, String by, Instant now) {
		return new ScoringPolicy(key, policyId, version, changed, false, by, createdAt, now, null, revision);
	}

	ScoringPolicyStatus status(@Nullable ActivePolicy active) {
		if (active != null && key.equals(active.key())) {
			return ScoringPolicyStatus.ACTIVE;
		}
		return frozen ? ScoringPolicyStatus.ARCHIVED : ScoringPolicyStatus.DRAFT;
	}

	enum ScoringPolicyStatus {

		DRAFT, ACTIVE, ARCHIVED

	}
}
