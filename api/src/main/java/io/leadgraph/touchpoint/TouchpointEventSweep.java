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
 * Records the TOUCHPOINT_RECORDED events a crash (or a failed lead write) left pending. Only
 * touchpoints older than a grace period, so it does not race the request that recorded them; an
 * event the log already has is not recorded again (its id is the touchpoint's).
 */
@Component
class TouchpointEventSweep {

	private static final Logger log = LoggerFactory.getLogger(TouchpointEventSweep.class);

	static final Duration GRACE = Duration.ofSeconds(30);

	private final TouchpointService touchpoints;

	private final Clock clock;

	TouchpointEventSweep(TouchpointService touchpoints, Clock clock) {
		this.touchpoints = touchpoints;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.touchpoints.event-sweep-interval:30s}",
			initialDelayString = "${leadgraph.touchpoints.event-sweep-interval:30s}")
	void sweep() {
		try {
			List<Touchpoint> pending = List.copyOf(touchpoints.pendingEventsOlderThan(clock.instant().minus(GRACE), 500));
			if (!pending.isEmpty()) {
				SystemCaller.runAs("system:touchpoint-sweep", () -> touchpoints.recordEvents(pending));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Touchpoint event sweep failed, retrying at the next one: {}", ex.toString());
		}
	}
}
