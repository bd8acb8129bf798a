package io.leadgraph.handoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.event.EventFilter;
import io.leadgraph.event.EventLog;
import io.leadgraph.event.EventsAppended;
import io.leadgraph.event.LeadEvent;
import io.leadgraph.handoff.HandoffRouting.MqlMove;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.WorkerThread;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Routes each MQL move as soon as its event reaches the log (speed to lead), on one thread so moves
 * are routed in log order and never twice at once. A sweep follows the log from a stored cursor and
 * routes what the fast path missed (a crash, an error, an append this instance did not see); moves
 * already routed are recognised by their event id.
 */
@Component
class HandoffRouter extends WorkerThread {

	private static final Logger log = LoggerFactory.getLogger(HandoffRouter.class);

	private static final int BATCH = 200;

	private static final int PAGE = 500;

	private static final int GIVE_UP_AFTER = 5;

	/** Sweep failures per MQL move, so one that never routes is skipped after a few sweeps. */
	private final java.util.Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();

	private static final EventFilter MQL_MOVES = new EventFilter(List.of("STAGE_CHANGED"), null, null, List.of("MQL"),
			null, null);

	/** What the router does, in log order: route an MQL move, or close the handoffs of a lead that left MQL. */
	private sealed interface Work permits Route, Close {
	}

	private record Route(MqlMove move) implements Work {
	}

	private record Close(String leadId) implements Work {
	}

	private final LinkedBlockingQueue<Work> work = new LinkedBlockingQueue<>();

	/** The newest log position this instance appended, so an idle sweep reads nothing. */
	private final AtomicLong newestAppended = new AtomicLong();

	private volatile boolean sawLogEnd;

	private final HandoffRouting routing;

	private final HandoffAssignments assignments;

	private final EventLog eventLog;

	private final MongoTemplate mongo;

	private final Duration sweepInterval;

	HandoffRouter(HandoffRouting routing, HandoffAssignments assignments, EventLog eventLog, MongoTemplate mongo,
			@Value("${leadgraph.handoff.sweep-interval:10s}") Duration sweepInterval) {
		super("handoff-router");
		this.routing = routing;
		this.assignments = assignments;
		this.eventLog = eventLog;
		this.mongo = mongo;
		this.sweepInterval = sweepInterval;
	}

	/** Where the sweep has routed up to. */
	@Document("handoff_routing_cursor")
	record RoutingCursor(@Id String id, long position) {

		static final String ID = "routing";
	}

	/** Queues the MQL moves among appended events (before raising {@code newestAppended}: see the sweep). */
	@EventListener
	void appended(EventsAppended appended) {
		for (LeadEvent event : appended.events()) {
			if (isMqlMove(event)) {
				work.add(new Route(MqlMove.of(event)));
			}
			else if (leftMql(event)) {
				work.add(new Close(event.leadId()));
			}
		}
		newestAppended.accumulateAndGet(appended.events().getLast().position(), Math::max);
	}

	private static boolean isMqlMove(LeadEvent event) {
		return "STAGE_CHANGED".equals(event.type()) && "MQL".equals(event.payload().get("to"));
	}

	/**
	 * A move out of MQL: by a decision (its handoff is no longer open then, so closing finds nothing),
	 * or another way, e.g. marketing disqualifying the lead, which leaves its handoff nothing to do.
	 */
	private static boolean leftMql(LeadEvent event) {
		return "STAGE_CHANGED".equals(event.type()) && "MQL".equals(event.payload().get("from"));
	}

	@Override
	protected void work() {
		long nextSweep = System.nanoTime() + sweepInterval.toNanos();
		while (running()) {
			try {
				Work first = work.poll(Math.max(1, nextSweep - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (first != null) {
					List<Work> batch = new ArrayList<>(List.of(first));
					work.drainTo(batch, BATCH - 1);
					doNow(batch);
				}
				if (System.nanoTime() >= nextSweep) {
					sweep();
					nextSweep = System.nanoTime() + sweepInterval.toNanos();
				}
			}
			catch (InterruptedException stop) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Runs the batch in order: consecutive moves are routed together. */
	private void doNow(List<Work> batch) {
		List<MqlMove> moves = new ArrayList<>();
		for (Work next : batch) {
			switch (next) {
				case Route route -> moves.add(route.move());
				case Close close -> {
					routeNow(moves);
					moves.clear();
					try {
						SystemCaller.runAs(HandoffRouting.ACTOR, () -> assignments.closeOpen(List.of(close.leadId())));
					}
					catch (RuntimeException ex) {
						log.warn("Closing the handoffs of lead {} failed; its timers close them: {}", close.leadId(),
								ex.toString());
					}
				}
			}
		}
		routeNow(moves);
	}

	private void routeNow(List<MqlMove> moves) {
		if (moves.isEmpty()) {
			return;
		}
		try {
			SystemCaller.runAs(HandoffRouting.ACTOR, () -> routing.route(moves, true));
		}
		catch (RuntimeException ex) {
			log.warn("Routing {} MQLs failed; the next sweep routes them: {}", moves.size(), ex.toString());
		}
	}

	/** Routes the MQL moves after the stored cursor, on the log writer only. */
	void sweep() {
		try {
			SystemCaller.runAs(HandoffRouting.ACTOR, this::catchUp);
		}
		catch (RuntimeException ex) {
			log.warn("Routing sweep failed, retrying at the next one: {}", ex.toString());
		}
	}

	private void catchUp() {
		if (!eventLog.isWriter()) {
			sawLogEnd = false;
			return;
		}
		if (!sawLogEnd) {
			// appends before this instance started (or became the writer) count too
			newestAppended.accumulateAndGet(eventLog.lastPosition(), Math::max);
			sawLogEnd = true;
		}
		long newest = newestAppended.get();
		// the fast path first: every move up to newest was queued before newest was raised, so after
		// this drain the sweep only meets moves the fast path has routed or failed on
		List<Work> queued = new ArrayList<>();
		work.drainTo(queued);
		doNow(queued);
		RoutingCursor cursor = mongo.findById(RoutingCursor.ID, RoutingCursor.class);
		if (cursor == null) {
			// routing starts with the log as it is now; earlier MQLs were before handoff existed
			save(newest);
			return;
		}
		long after = cursor.position();
		while (after < newest) {
			List<LeadEvent> page = eventLog.readAfterOrFromOldestKept(after, MQL_MOVES, PAGE - 1);
			long bound = newest;
			// moves appended since are the fast path's (they are in its queue)
			routeOrSkip(page.stream().filter(event -> event.position() <= bound).map(MqlMove::of).toList());
			long last = page.isEmpty() ? after : page.getLast().position();
			after = page.size() == PAGE && last <= newest ? last : newest;
			save(after);
		}
	}

	/**
	 * Routes a page of the sweep. When the page fails, each move is tried alone, so one move that
	 * cannot be routed does not hold back the others; a move that failed {@value #GIVE_UP_AFTER}
	 * sweeps in a row is logged as an error and left (moving its lead out of MQL and back routes it).
	 */
	private void routeOrSkip(List<MqlMove> page) {
		try {
			routing.route(page, false);
			return;
		}
		catch (RuntimeException pageFailed) {
			log.warn("Routing a sweep page of {} MQLs failed, trying them one by one: {}", page.size(),
					pageFailed.toString());
		}
		for (MqlMove move : page) {
			try {
				routing.route(List.of(move), false);
				failures.remove(move.eventId());
			}
			catch (RuntimeException failed) {
				if (failures.merge(move.eventId(), 1, Integer::sum) < GIVE_UP_AFTER) {
					throw failed; // the cursor stays: the next sweep tries again
				}
				failures.remove(move.eventId());
				log.error("MQL move {} of lead {} failed to route {} times and is skipped: {}", move.eventId(),
						move.leadId(), GIVE_UP_AFTER, failed.toString());
			}
		}
	}

	private void save(long position) {
		mongo.upsert(Query.query(Criteria.where("_id").is(RoutingCursor.ID)), new Update().set("position", position),
				RoutingCursor.class);
	}
}
