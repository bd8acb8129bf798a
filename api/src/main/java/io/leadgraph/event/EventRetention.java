package io.leadgraph.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes events older than {@code leadgraph.events.retention} (30 days by default), as a scheduled
 * purge on the log writer (the embedded store ignores TTL indexes). It records how far it deletes
 * before deleting ({@link PurgeMark}), so older cursors get CURSOR_EXPIRED, and it always keeps the
 * newest event: the next position is derived from it.
 */
@Component
class EventRetention {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	private final MongoTemplate mongo;

	private final EventReads reads;

	private final EventLog eventLog;

	private final Clock clock;

	private final Duration retention;

	EventRetention(MongoTemplate mongo, EventReads reads, EventLog eventLog, Clock clock,
			@Value("${leadgraph.events.retention:30d}") Duration retention) {
		this.mongo = mongo;
		this.reads = reads;
		this.eventLog = eventLog;
		this.clock = clock;
		this.retention = retention;
	}

	@Scheduled(fixedDelayString = "${leadgraph.events.purge-interval:1h}",
			initialDelayString = "${leadgraph.events.purge-interval:1h}")
	void purge() {
		try {
			if (eventLog.isWriter()) {
				purgeRecordedBefore(clock.instant().minus(retention));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Event log purge failed, retrying at the next one: {}", ex.toString());
		}
	}

	/** Deletes the events recorded before the cutoff, except the newest event; returns how many. */
	long purgeRecordedBefore(Instant cutoff) {
		Query newestExpired = Query.query(Criteria.where("recordedAt").lt(cutoff))
			.with(Sort.by(Sort.Direction.DESC, "recordedAt"))
			.limit(1);
		LeadEvent expired = mongo.findOne(newestExpired, LeadEvent.class);
		if (expired == null) {
			return 0;
		}
		long through = Math.min(expired.position(), reads.lastPosition() - 1);
		if (through <= reads.purgedThrough()) {
			return 0;
		}
		mongo.upsert(Query.query(Criteria.where("_id").is(PurgeMark.ID)), new Update().max("purgedThrough", through),
				PurgeMark.class);
		long deleted = mongo.remove(Query.query(Criteria.where("_id").lte(through)), LeadEvent.class).getDeletedCount();
		log.info("Event log retention: deleted {} events up to position {}", deleted, through);
		return deleted;
	}
}
