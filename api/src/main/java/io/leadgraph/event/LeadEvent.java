package io.leadgraph.event;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.leadgraph.event.PendingEvent.LeadFacts;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An immutable entry of the lead event log.
 *
 * @param position global order of the log (the document id), assigned by the single log writer;
 * strictly increasing in the order events become visible, so a reader that resumes after a position
 * misses nothing
 * @param recordedAt when the event reached the log
 */
@Document("lead_events")
@CompoundIndex(name = "lead_seq", def = "{'leadId': 1, 'seq': 1}", unique = true)
@CompoundIndex(name = "type_position", def = "{'type': 1, '_id': 1}")
@CompoundIndex(name = "owner_position", def = "{'lead.ownerId': 1, '_id': 1}")
@CompoundIndex(name = "source_position", def = "{'lead.source': 1, '_id': 1}")
public record LeadEvent(@Id long position, @Indexed(unique = true) String eventId, String leadId, long seq,
		String type, Instant occurredAt, String actor, Map<String, Object> payload,
		@Indexed(name = "recorded") Instant recordedAt, @Nullable LeadFacts lead) {

	static LeadEvent from(PendingEvent pending, long position, Instant recordedAt) {
		return new LeadEvent(position, pending.eventId(), pending.leadId(), pending.seq(), pending.type(),
				pending.occurredAt(), pending.actor(), pending.payload(), recordedAt, pending.lead());
	}

	/** The lead's source and owner when the event was recorded (null for events from before they were kept). */
	LeadFacts facts() {
		return lead == null ? LeadFacts.NONE : lead;
	}
}
