package io.leadgraph.touchpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.security.SystemCaller;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Numbers the TOUCHPOINT_RECORDED events of freshly recorded touchpoints into their leads' logs, off
 * the request path, in batches of up to {@value #DRAIN} touchpoints: one writer per instance means
 * the leads' version-guarded appends do not fight each other, and a batch costs a constant number
 * of store round trips. What this queue loses in a crash (or cannot hold) is still marked
 * {@code eventPending} in the store, where {@link TouchpointEventSweep} finds it.
 */
@Component
class TouchpointEventRecorder implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TouchpointEventRecorder.class);

	static final int DRAIN = 5_000;

	private static final int CAPACITY = 200_000;

	private final BlockingQueue<Touchpoint> queue = new LinkedBlockingQueue<>(CAPACITY);

	private final ObjectProvider<TouchpointService> touchpoints;

	/** Submitted and not yet done (queued or being recorded). */
	private final AtomicInteger unfinished = new AtomicInteger();

	private volatile boolean running;

	private Thread worker;

	TouchpointEventRecorder(ObjectProvider<TouchpointService> touchpoints) {
		this.touchpoints = touchpoints;
	}

	void submit(List<Touchpoint> recorded) {
		for (Touchpoint touchpoint : recorded) {
			if (!queue.offer(touchpoint)) {
				log.warn("Touchpoint event queue full; the sweep will record the rest");
				return;
			}
			unfinished.incrementAndGet();
		}
	}

	/** Whether every submitted touchpoint has been handled (its event recorded, or left to the sweep). */
	boolean idle() {
		return unfinished.get() == 0;
	}

	@Override
	public void start() {
		running = true;
		worker = Thread.ofPlatform().name("touchpoint-events").daemon().start(this::work);
	}

	@Override
	public void stop() {
		running = false;
		worker.interrupt();
		try {
			worker.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void work() {
		while (running) {
			try {
				Touchpoint first = queue.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				List<Touchpoint> batch = new ArrayList<>(List.of(first));
				queue.drainTo(batch, DRAIN - 1);
				try {
					SystemCaller.runAs("system:touchpoint-events", () -> touchpoints.getObject().recordEvents(batch));
				}
				finally {
					unfinished.addAndGet(-batch.size());
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
