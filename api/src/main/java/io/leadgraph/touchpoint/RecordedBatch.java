package io.leadgraph.touchpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one {@code recordTouchpoints} call inserted, and the backlog entry that lists it until its
 * events are recorded (none when nothing was new).
 */
record RecordedBatch(@Nullable String backlogId, List<Touchpoint> touchpoints) {

	static final RecordedBatch NOTHING = new RecordedBatch(null, List.of());
}
