package io.leadgraph.guard;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes idempotency keys past their 24 hours, every hour: the TTL index does it on real MongoDB,
 * the embedded store ignores TTL indexes. A key past its time is never replayed either way.
 */
@Component
class IdempotencyKeyPurge {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

	private final MongoTemplate mongo;

	private final Clock clock;

	IdempotencyKeyPurge(MongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.idempotency.purge-interval:1h}",
			initialDelayString = "${leadgraph.idempotency.purge-interval:1h}")
	void purge() {
		try {
			mongo.remove(Query.query(Criteria.where("expiresAt").lt(clock.instant())), IdempotentRequest.class);
		}
		catch (RuntimeException ex) {
			log.warn("Idempotency key purge failed, retrying at the next one: {}", ex.toString());
		}
	}
}
