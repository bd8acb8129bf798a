package io.leadgraph.event;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;

import io.leadgraph.support.CodedStreamFailure;

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

	/** Called by the single live reader, in log order; false once this follower has ended. */
	boolean offer(LeadEvent event) {
		if (ended || !wanted.test(event)) {
			return !ended;
		}
		EmitResult result = sink.tryEmitNext(event);
		if (result == EmitResult.FAIL_OVERFLOW) {
			end(new SlowConsumerException(BUFFER));
		}
		else if (result.isFailure()) {
			// cancelled or already terminated: the subscriber is gone
			ended = true;
		}
		return !ended;
	}

	/** Ends the stream because the service is stopping; the client resumes from its cursor elsewhere. */
	void stopping() {
		end(new ServerStoppingException());
	}

	Flux<LeadEvent> events() {
		return sink.asFlux();
	}

	private void end(CodedStreamFailure reason) {
		ended = true;
		sink.tryEmitError(reason);
	}

	/** The service is shutting down; subscribe again (to any instance) from the last cursor received. */
	static final class ServerStoppingException extends CodedStreamFailure {

		ServerStoppingException() {
			super("SERVER_STOPPING", "this instance is stopping; subscribe again from the last cursor received");
		}
	}
}
