package io.leadgraph.scoring;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import io.leadgraph.support.InvalidInputException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** Policy versions and the active pointer: saving drafts, reading versions. */
@Component
class PolicyStore {

	private static final Pattern POLICY_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

	private static final int MAX_ATTEMPTS = 10;

	private final ScoringPolicies policies;

	private final MongoTemplate mongo;

	private final Clock clock;

	PolicyStore(ScoringPolicies policies, MongoTemplate mongo, Clock clock) {
		this.policies = policies;
		this.mongo = mongo;
		this.clock = clock;
	}

	/** Saves a valid document as the policy's draft (see the schema for which version that is). */
	ScoringPolicy saveDraft(@Nullable String policyId, PolicyDocument document, String author) {
		if (policyId != null && !POLICY_ID.matcher(policyId).matches()) {
			throw new InvalidInputException("input.id", "INVALID_ID",
					"a lower-case letter or digit, then up to 63 lower-case letters, digits, '_' or '-'");
		}
		String id = policyId == null ? new ObjectId().toHexString() : policyId;
		for (int attempt = 1;; attempt++) {
			Instant now = clock.instant();
			Optional<ScoringPolicy> newest = policies.findFirstByPolicyIdOrderByVersionDesc(id);
			try {
				if (newest.isPresent() && !newest.get().frozen()) {
					return policies.save(newest.get().withDocument(document, author, now));
				}
				int version = newest.map(policy -> policy.version() + 1).orElse(1);
				return policies.insert(new ScoringPolicy(ScoringPolicy.key(id, version), id, version, document, false,
						author, now, now, null, null));
			}
			catch (OptimisticLockingFailureException | DuplicateKeyException raced) {
				if (attempt >= MAX_ATTEMPTS) {
					throw new OptimisticLockingFailureException("The policy kept changing while saving it");
				}
			}
		}
	}

	Optional<ScoringPolicy> version(String policyId, @Nullable Integer version) {
		return version == null ? policies.findFirstByPolicyIdOrderByVersionDesc(policyId)
				: policies.findById(ScoringPolicy.key(policyId, version));
	}

	/** Versions newest first, of one policy or all. */
	List<ScoringPolicy> versions(@Nullable String policyId) {
		return policyId != null ? policies.findByPolicyIdOrderByVersionDesc(policyId)
				: mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")), ScoringPolicy.class);
	}

	@Nullable ActivePolicy active() {
		return mongo.findById(ActivePolicy.ID, ActivePolicy.class);
	}

	/**
	 * Makes the version the active one if the pointer is still {@code current}: one compare-and-set,
	 * so two racing activations cannot both win.
	 */
	void switchTo(ScoringPolicy target, @Nullable ActivePolicy current, String by, Instant now) {
		if (current == null) {
			try {
				mongo.insert(new ActivePolicy(ActivePolicy.ID, target.key(), target.policyId(), target.version(), now, by,
						0L));
				return;
			}
			catch (DuplicateKeyException raced) {
				throw new OptimisticLockingFailureException("Another activation came first");
			}
		}
		var switched = mongo.updateFirst(
				Query.query(Criteria.where("_id").is(ActivePolicy.ID).and("revision").is(current.revision())),
				new Update().set("key", target.key())
					.set("policyId", target.policyId())
					.set("version", target.version())
					.set("activatedAt", now)
					.set("activatedBy", by)
					.inc("revision", 1),
				ActivePolicy.class);
		if (switched.getMatchedCount() == 0) {
			throw new OptimisticLockingFailureException("Another activation came first");
		}
	}

	/**
	 * Freezes the version as read (the first step of activating it): a save that came in between
	 * makes this fail, so what is activated is what the activator saw.
	 */
	void freeze(ScoringPolicy policy, Instant now) {
		if (policy.frozen()) {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(policy.key())), new Update().set("activatedAt", now),
					ScoringPolicy.class);
			return;
		}
		var frozen = mongo.updateFirst(
				Query.query(Criteria.where("_id").is(policy.key()).and("revision").is(policy.revision())),
				new Update().set("frozen", true).set("activatedAt", now).inc("revision", 1), ScoringPolicy.class);
		if (frozen.getMatchedCount() == 0) {
			throw new OptimisticLockingFailureException("The version was saved meanwhile; read it and activate again");
		}
	}
}
