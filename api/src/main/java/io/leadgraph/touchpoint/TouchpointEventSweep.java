package io.leadgraph.touchpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.security.SystemCaller;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Records the TOUCHPOINT_RECORDED events a crash, a full queue or a failed lead write left in the
 * backlog. Only entries older than a grace period, so it does not race the recorder that is about to
 * handle them; an event the log already has is not recorded again (its id is the touchpoint's).
 * Drains the backlog oldest first, but leaves the scheduler thread after a time budget.
 */
@Component
class TouchpointEventSweep {

	private static final Logger log = LoggerFactory.getLogger(TouchpointEventSweep.class);

	static final Duration GRACE = Duration.ofSeconds(30);

	private static final Duration BUDGET = Duration.ofSeconds(2);

	/** Backlog entries per round, each listing at most 500 touchpoints. */
	private static final int ROUND = 10;

	private final TouchpointService touchpoints;

	private final Clock clock;

	TouchpointEventSweep(TouchpointService touchpoints, Clock clock) {
		this.touchpoints = touchpoints;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.touchpoints.event-sweep-interval:30s}",
			initialDelayString = "${leadgraph.touchpoints.event-sweep-interval:30s}")
	void sweep() {
		long deadline = System.nanoTime() + BUDGET.toNanos();
		try {
			List<PendingTouchpointEvents> round;
			do {
				round = touchpoints.backlogOlderThan(clock.instant().minus(GRACE), ROUND);
				if (round.isEmpty() || !recordEvents(round)) {
					return;
				}
			}
			while (round.size() == ROUND && System.nanoTime() < deadline);
		}
		catch (RuntimeException ex) {
			log.warn("Touchpoint event sweep failed, retrying at the next one: {}", ex.toString());
		}
	}

	private boolean recordEvents(List<PendingTouchpointEvents> round) {
		List<Touchpoint> listed = touchpoints
			.touchpointsById(round.stream().flatMap(entry -> entry.touchpointIds().stream()).toList());
		List<String> backlogIds = round.stream().map(PendingTouchpointEvents::id).toList();
		return SystemCaller.runAs("system:touchpoint-sweep", () -> touchpoints.recordEvents(listed, backlogIds));
	}
}
