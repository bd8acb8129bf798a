package io.leadgraph.lead;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A score the scoring feature computed for a lead as read.
 *
 * @param lead the lead as read when computing: the write is guarded by its version
 * @param change the SCORE_CHANGED payload, or null when the change is not worth an event
 * @param qualifies whether to move a NEW or RECYCLED lead to MQL
 * @param reason the reason of that move
 * @param trigger what the move's event names as its cause (the touchpoint that last added points),
 * or null
 */
public record ScoreUpdate(Lead lead, LeadScore score, @Nullable Map<String, Object> change, boolean qualifies,
		String reason, @Nullable Map<String, Object> trigger) {
}
