package io.leadgraph.event;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.support.InLists;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The lead event log: append (idempotent by {@code eventId}) and read by position. One instance at a
 * time appends ({@link LogWriterLease}); within it appends are serialised, so positions increase in
 * the order events become visible.
 */
@Service
public class EventLog {

	private static final Logger log = LoggerFactory.getLogger(EventLog.class);

	static final int MAX_PAGE = 100;

	private final MongoTemplate mongo;

	private final LogWriterLease lease;

	private final Clock clock;

	private final ReentrantLock writer = new ReentrantLock();

	private long nextPosition;

	private long positionTerm = -1;

	private final EventReads reads;

	private final LiveEvents live;

	private final ApplicationEventPublisher publisher;

	EventLog(MongoTemplate mongo, LogWriterLease lease, EventReads reads, LiveEvents live,
			ApplicationEventPublisher publisher, Clock clock) {
		this.mongo = mongo;
		this.lease = lease;
		this.reads = reads;
		this.live = live;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Appends the events not yet in the log, in the given order. Returns true when every event is now
	 * in the log (so the caller may clear its outbox), false when this instance is not the log writer
	 * or the append must be retried.
	 */
	public boolean append(List<PendingEvent> events) {
		if (events.isEmpty()) {
			return true;
		}
		List<LeadEvent> fresh = new ArrayList<>();
		try {
			return append(events, fresh);
		}
		finally {
			if (!fresh.isEmpty()) {
				publisher.publishEvent(new EventsAppended(List.copyOf(fresh)));
			}
		}
	}

	private boolean append(List<PendingEvent> events, List<LeadEvent> fresh) {
		writer.lock();
		try {
			if (!lease.hold()) {
				return false;
			}
			if (positionTerm != lease.term()) {
				nextPosition = reads.lastPosition() + 1;
				positionTerm = lease.term();
			}
			Set<String> present = alreadyAppended(events);
			Instant now = clock.instant();
			List<LeadEvent> batch = new ArrayList<>();
			for (PendingEvent event : events) {
				if (!present.contains(event.eventId())) {
					batch.add(LeadEvent.from(event, nextPosition + batch.size(), now));
				}
			}
			if (batch.isEmpty()) {
				return true;
			}
			mongo.insertAll(batch);
			nextPosition += batch.size();
			live.appended(nextPosition - 1);
			fresh.addAll(batch);
			return true;
		}
		catch (DuplicateKeyException concurrentWriter) {
			log.warn("Another instance appended to the event log meanwhile; re-reading its end");
			lease.drop();
			return false;
		}
		finally {
			writer.unlock();
		}
	}

	/** Whether this instance is the log's writer now (taking the lease when it is free). */
	public boolean isWriter() {
		writer.lock();
		try {
			return lease.hold();
		}
		finally {
			writer.unlock();
		}
	}

	/**
	 * Events after {@code afterPosition} (exclusive; 0 for the oldest retained) in log order, at most
	 * {@code limit + 1} so the caller can tell whether more follow. A position before what retention
	 * keeps is refused with CURSOR_EXPIRED.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales', 'automation')")
	public List<LeadEvent> readAfter(long afterPosition, EventFilter filter, int limit) {
		List<LeadEvent> events = reads.between(afterPosition, Long.MAX_VALUE, filter, limit + 1);
		// checked after reading: retention marks before it deletes, so a page read with a hole fails here
		if (afterPosition > 0) {
			reads.requireRetained(afterPosition);
		}
		return events;
	}

	/**
	 * As {@link #readAfter}, but a position retention has passed reads from the oldest event kept:
	 * for the followers inside the service (webhook dispatch, routing), which must go on after an
	 * outage longer than retention; what lies before the oldest event kept is gone.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales', 'automation')")
	public List<LeadEvent> readAfterOrFromOldestKept(long afterPosition, EventFilter filter, int limit) {
		try {
			return readAfter(afterPosition, filter, limit);
		}
		catch (CursorExpiredException expired) {
			log.info("Cursor {} is past the log's retention; continuing from the oldest event kept", afterPosition);
			return readAfter(0, filter, limit);
		}
	}

	/** The position of the newest event, 0 when the log is empty. */
	@PreAuthorize("isAuthenticated()")
	public long lastPosition() {
		return reads.lastPosition();
	}

	/** Which of the given event ids the log holds. */
	public Set<String> contains(Collection<String> eventIds) {
		return present(eventIds);
	}

	private Set<String> alreadyAppended(List<PendingEvent> events) {
		return present(events.stream().map(PendingEvent::eventId).toList());
	}

	private Set<String> present(Collection<String> ids) {
		Set<String> present = new HashSet<>();
		InLists.query(ids, slice -> {
			Query query = Query.query(Criteria.where("eventId").in(slice));
			query.fields().include("eventId");
			return mongo.find(query, org.bson.Document.class, "lead_events");
		}).forEach(doc -> present.add(doc.getString("eventId")));
		return present;
	}
}
