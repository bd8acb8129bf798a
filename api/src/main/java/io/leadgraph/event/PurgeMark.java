package io.leadgraph.event;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * How far retention has deleted the log: every event at or before {@code purgedThrough} may be gone.
 * Written before the events are deleted, so a reader whose cursor lies before it is told
 * CURSOR_EXPIRED rather than given a replay with a hole.
 */
@Document("event_log_state")
record PurgeMark(@Id String id, long purgedThrough) {

	static final String ID = "purge";
}
