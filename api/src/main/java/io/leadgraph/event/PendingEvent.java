package io.leadgraph.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event written into an aggregate's outbox, in the same document update as the change it
 * describes, waiting to be appended to the log.
 *
 * @param eventId globally unique; appending the same id twice is a no-op
 * @param leadId the lead the event belongs to
 * @param seq the lead's event number, assigned by the aggregate's version-guarded update: gap-free
 * @param type what happened, e.g. {@code STAGE_CHANGED}
 * @param occurredAt when it happened
 * @param actor who caused it
 * @param payload details; values are strings, numbers, booleans, lists or maps
 */
public record PendingEvent(String eventId, String leadId, long seq, String type, Instant occurredAt, String actor,
		Map<String, Object> payload) {

	public static PendingEvent of(String leadId, long seq, String type, Instant occurredAt, String actor,
			Map<String, Object> payload) {
		return new PendingEvent(UUID.randomUUID().toString(), leadId, seq, type, occurredAt, actor, payload);
	}
}
