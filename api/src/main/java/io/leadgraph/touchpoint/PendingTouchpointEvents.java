package io.leadgraph.touchpoint;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The touchpoints of one batch whose TOUCHPOINT_RECORDED events may not be in their leads' logs yet.
 * Written before the touchpoints and removed once their events are recorded, so whatever a crash
 * interrupts is left here for {@link TouchpointEventSweep}. One document per batch rather than a
 * flag on each touchpoint: recording a batch's events then costs one delete, not 500 updates.
 */
@Document("touchpoint_event_backlog")
record PendingTouchpointEvents(@Id String id, List<String> touchpointIds,
		@Indexed(name = "oldest_first") Instant createdAt) {
}
