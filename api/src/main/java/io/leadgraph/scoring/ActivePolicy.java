package io.leadgraph.scoring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The one pointer to the ACTIVE policy version (a single document, id {@value #ID}): activation is a
 * compare-and-set of it, so there is never more than one ACTIVE version.
 */
@Document("scoring_active_policy")
record ActivePolicy(@Id String id, String key, String policyId, int version, Instant activatedAt,
		String activatedBy, @Version @Nullable Long revision) {

	static final String ID = "active";
}
