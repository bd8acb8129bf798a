package io.leadgraph.event;

import io.leadgraph.support.InvalidInputException;

/** A cursor from before what retention keeps: the events after it are no longer all there. */
class CursorExpiredException extends InvalidInputException {

	CursorExpiredException() {
		super("after", "CURSOR_EXPIRED",
				"events after this cursor are past the log's retention; start again without after (from now) or from a newer cursor");
	}
}
