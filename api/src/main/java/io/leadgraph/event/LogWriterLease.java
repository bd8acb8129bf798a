package io.leadgraph.event;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * A lease in MongoDB that makes one instance at a time the writer of the event log, so global
 * positions are assigned in the order events become visible. Other instances leave their events in
 * the outboxes, where the writer's sweep finds them.
 */
@Component
class LogWriterLease {

	private static final Logger log = LoggerFactory.getLogger(LogWriterLease.class);

	static final String COLLECTION = "leases";

	private static final String NAME = "lead-event-log-writer";

	private static final Duration TTL = Duration.ofSeconds(15);

	private static final Duration RENEW_BEFORE = Duration.ofSeconds(10);

	private final MongoTemplate mongo;

	private final Clock clock;

	private final String holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private Instant heldUntil = Instant.MIN;

	private long term;

	LogWriterLease(MongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	/**
	 * Whether this instance is the writer now, renewing or taking the lease when due. Callers hold the
	 * log's lock.
	 */
	boolean hold() {
		Instant now = clock.instant();
		if (now.plus(RENEW_BEFORE).isBefore(heldUntil)) {
			return true;
		}
		boolean wasHeld = now.isBefore(heldUntil);
		Instant until = now.plus(TTL);
		Query mine = Query.query(Criteria.where("_id").is(NAME)
			.orOperator(Criteria.where("holder").is(holder), Criteria.where("expiresAt").lt(now)));
		try {
			mongo.upsert(mine, new Update().set("holder", holder).set("expiresAt", until), COLLECTION);
		}
		catch (DuplicateKeyException heldByAnother) {
			if (wasHeld) {
				log.warn("Lost the event log writer lease");
			}
			heldUntil = Instant.MIN;
			return false;
		}
		if (!wasHeld) {
			term++;
			log.info("This instance now writes the lead event log");
		}
		heldUntil = until;
		return true;
	}

	/** Changes each time the lease is newly taken: the writer must re-read the log's end then. */
	long term() {
		return term;
	}

	/** Hands the lease back on shutdown, so another instance need not wait for it to expire. */
	@PreDestroy
	void release() {
		if (clock.instant().isBefore(heldUntil)) {
			mongo.remove(Query.query(Criteria.where("_id").is(NAME).and("holder").is(holder)), COLLECTION);
			heldUntil = Instant.MIN;
		}
	}

	/** Forget the lease, e.g. after finding that another writer wrote meanwhile. */
	void drop() {
		heldUntil = Instant.MIN;
	}
}
