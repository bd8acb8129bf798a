package io.leadgraph.touchpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.WorkerThread;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Numbers the TOUCHPOINT_RECORDED events of freshly recorded touchpoints into their leads' logs, off
 * the request path, up to {@value #DRAIN_BATCHES} batches at a time: one writer per instance means
 * the leads' version-guarded appends do not fight each other, and a drain costs a constant number
 * of store round trips, fewer per touchpoint the more is waiting. What this queue loses in a crash
 * (or cannot hold) is still listed in the store's backlog, where {@link TouchpointEventSweep} finds it.
 */
@Component
class TouchpointEventRecorder extends WorkerThread {

	private static final Logger log = LoggerFactory.getLogger(TouchpointEventRecorder.class);

	private static final int DRAIN_BATCHES = 10;

	/** Batches waiting, at most 500 touchpoints each. */
	private static final int CAPACITY = 400;

	private final BlockingQueue<RecordedBatch> queue = new LinkedBlockingQueue<>(CAPACITY);

	private final ObjectProvider<TouchpointService> touchpoints;

	/** Batches submitted and not yet done (queued or being recorded). */
	private final AtomicInteger unfinished = new AtomicInteger();

	TouchpointEventRecorder(ObjectProvider<TouchpointService> touchpoints) {
		super("touchpoint-events");
		this.touchpoints = touchpoints;
	}

	void submit(RecordedBatch batch) {
		if (batch.backlogId() == null) {
			return;
		}
		unfinished.incrementAndGet();
		if (!queue.offer(batch)) {
			unfinished.decrementAndGet();
			log.warn("Touchpoint event queue full; the sweep will record this batch's events");
		}
	}

	/** Whether every submitted batch has been handled (its events recorded, or left to the sweep). */
	boolean idle() {
		return unfinished.get() == 0;
	}

	@Override
	protected void work() {
		while (running()) {
			try {
				RecordedBatch first = queue.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				List<RecordedBatch> batches = new ArrayList<>(List.of(first));
				queue.drainTo(batches, DRAIN_BATCHES - 1);
				try {
					List<Touchpoint> recorded = batches.stream().flatMap(batch -> batch.touchpoints().stream()).toList();
					List<String> backlogIds = batches.stream().map(RecordedBatch::backlogId).map(Objects::requireNonNull).toList();
					SystemCaller.runAs("system:touchpoint-events",
							() -> touchpoints.getObject().recordEvents(recorded, backlogIds));
				}
				finally {
					unfinished.addAndGet(-batches.size());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Recording touchpoint events failed; the sweep will retry: {}", ex.toString());
			}
		}
	}
}
