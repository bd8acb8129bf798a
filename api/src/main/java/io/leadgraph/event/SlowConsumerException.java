package io.leadgraph.event;

import io.leadgraph.support.CodedStreamFailure;

/** A subscriber let too many events pile up; it should resume from its last cursor. */
class SlowConsumerException extends CodedStreamFailure {

	SlowConsumerException(int buffered) {
		super("SLOW_CONSUMER", "more than " + buffered
				+ " events were waiting for this subscriber; subscribe again with the last cursor received as after");
	}
}
