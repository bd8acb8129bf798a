package io.leadgraph.event;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One subscriber's share of the live stream: the events it wants, buffered up to {@value #BUFFER}.
 * A subscriber that lets more pile up is ended with {@link SlowConsumerException}, so no client can
 * make the server hold an unbounded backlog for it; it resumes from its last cursor.
 */
final class Follower {

	static final int BUFFER = 1_000;

	private final Sinks.Many<LeadEvent> sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(BUFFER));

	private final Predicate<LeadEvent> wanted;

	private volatile boolean ended;

	Follower(Predicate<LeadEvent> wanted) {
		this.wanted = wanted;
	}

	/** Called by the single live reader, in log order. */
	void offer(LeadEvent event) {
		if (ended || !wanted.test(event)) {
			return;
		}
		if (sink.tryEmitNext(event).isFailure()) {
			ended = true;
			sink.tryEmitError(new SlowConsumerException(BUFFER));
		}
	}

	/** Ends the stream normally (the service is stopping). */
	void end() {
		ended = true;
		sink.tryEmitComplete();
	}

	Flux<LeadEvent> events() {
		return sink.asFlux();
	}
}
