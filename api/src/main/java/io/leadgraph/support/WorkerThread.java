package io.leadgraph.support;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A component that runs one background loop on a thread of its own while the application runs:
 * started with the context, interrupted and awaited (at most {@link #STOP_WAIT}) when it stops.
 */
public abstract class WorkerThread implements SmartLifecycle {

	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private final String name;

	private volatile boolean running;

	private @Nullable Thread worker;

	protected WorkerThread(String name) {
		this.name = name;
	}

	/** The loop: runs until {@link #running()} turns false or the thread is interrupted. */
	protected abstract void work();

	protected boolean running() {
		return running;
	}

	@Override
	public void start() {
		running = true;
		worker = Thread.ofPlatform().name(name).daemon().start(this::work);
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = worker;
		if (thread == null) {
			return;
		}
		thread.interrupt();
		try {
			thread.join(STOP_WAIT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}
