package io.leadgraph.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

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
 * @param lead the lead's source, owner and stage once the change was made, so subscribers can filter by them
 */
public record PendingEvent(String eventId, String leadId, long seq, String type, Instant occurredAt, String actor,
		Map<String, Object> payload, LeadFacts lead) {

	public static PendingEvent of(String leadId, long seq, String type, Instant occurredAt, String actor,
			Map<String, Object> payload, LeadFacts lead) {
		return new PendingEvent(UUID.randomUUID().toString(), leadId, seq, type, occurredAt, actor, payload, lead);
	}

	/**
	 * @param source the lead's source
	 * @param ownerId the lead's owner, if it has one
	 * @param stage the lead's stage (null in events recorded before it was kept)
	 */
	public record LeadFacts(@Nullable String source, @Nullable String ownerId, @Nullable String stage) {

		public static final LeadFacts NONE = new LeadFacts(null, null, null);
	}
}
