package io.leadgraph.event;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows the end of the event log for every subscriber of this instance: one reader per instance,
 * whatever the number of subscribers. It is woken right after this instance appends. Events other
 * instances append are found by a look every {@code leadgraph.events.live-poll-interval}: 1 s with a
 * MongoDB of its own (one indexed query), none on the embedded store, which only this instance
 * writes to and where such a range query scans the whole log.
 */
@Component
class LiveEvents implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

	private static final int PAGE = 500;

	private static final Duration NEVER = Duration.ofDays(365);

	private final EventReads reads;

	private final Duration pollInterval;

	private final Semaphore wake = new Semaphore(0);

	private final Object delivering = new Object();

	private final Set<Follower> followers = ConcurrentHashMap.newKeySet();

	/** Every event up to here has been handed to the followers registered at the time. */
	private volatile long position;

	/** The newest position this instance appended. */
	private final AtomicLong appendedThrough = new AtomicLong();

	/** Whether events of other instances are looked for (by a range read of the log). */
	private final boolean polls;

	private volatile boolean running;

	private Thread reader;

	LiveEvents(EventReads reads, @Value("${leadgraph.events.live-poll-interval:#{null}}") @Nullable Duration pollInterval,
			@Value("${spring.mongodb.uri:}") String externalStore) {
		this.reads = reads;
		this.pollInterval = pollInterval != null ? pollInterval
				: externalStore.isBlank() ? NEVER : Duration.ofSeconds(1);
		this.polls = !this.pollInterval.equals(NEVER);
	}

	/**
	 * Registers a follower and returns the position from which the live events reach it: the events up
	 * to that position are the follower's to read from the log.
	 */
	long join(Follower follower) {
		synchronized (delivering) {
			followers.add(follower);
			return position;
		}
	}

	void leave(Follower follower) {
		followers.remove(follower);
	}

	/** The position the live stream has reached. */
	long position() {
		return position;
	}

	/** Tells the reader that this instance appended the log up to that position. */
	void appended(long through) {
		appendedThrough.accumulateAndGet(through, Math::max);
		wake.release();
	}

	int followerCount() {
		return followers.size();
	}

	/** Before the web server starts and after it stops: no subscription ever sees this not running. */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
	}

	@Override
	public void start() {
		position = reads.lastPosition();
		running = true;
		reader = Thread.ofPlatform().name("live-events").daemon().start(this::follow);
	}

	@Override
	public void stop() {
		running = false;
		reader.interrupt();
		try {
			reader.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		followers.forEach(Follower::stopping);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void follow() {
		while (running) {
			try {
				wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
				wake.drainPermits();
				deliverNew();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Reading new events for subscribers failed, retrying in a second: {}", ex.toString());
				pauseThenRetry();
			}
		}
	}

	private void pauseThenRetry() {
		try {
			Thread.sleep(1_000);
			wake.release();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Hands new events to the followers. This instance's own appends are read by their positions (point
	 * reads on any store); with no follower there is nothing to read, only the position to move.
	 * Other instances' events are found by a range read of the log, when polling.
	 */
	private void deliverNew() {
		long through = appendedThrough.get();
		if (followers.isEmpty()) {
			// when polling, the position keeps up with other instances too, so a first follower is not
			// handed a backlog
			long end = polls ? Math.max(through, reads.lastPosition()) : through;
			synchronized (delivering) {
				if (followers.isEmpty()) {
					position = Math.max(position, end);
					return;
				}
			}
		}
		while (running && through > position) {
			long from = position + 1;
			long to = Math.min(through, position + PAGE);
			deliver(reads.positions(from, to));
			synchronized (delivering) {
				position = Math.max(position, to);
			}
		}
		if (!polls) {
			return;
		}
		List<LeadEvent> page;
		do {
			page = reads.between(position, Long.MAX_VALUE, EventFilter.ANY, PAGE);
			deliver(page);
		}
		while (page.size() == PAGE && running);
	}

	private void deliver(List<LeadEvent> page) {
		synchronized (delivering) {
			for (LeadEvent event : page) {
				if (event.position() <= position) {
					continue;
				}
				// a follower that overflowed or went away is dropped at once, whatever its stream still holds
				followers.removeIf(follower -> !follower.offer(event));
				position = event.position();
			}
		}
	}
}
