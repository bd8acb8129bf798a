package io.leadgraph.touchpoint;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One interaction of a lead; immutable.
 *
 * @param key {@code source + U+001F + externalId}: unique, so a replay cannot record it twice; one
 * field (not two) so the lookup of a whole batch is a single {@code $in} on a unique index
 */
@Document("touchpoints")
@CompoundIndex(name = "lead_newest", def = "{'leadId': 1, 'occurredAt': -1, '_id': -1}")
public record Touchpoint(@Id String id, @Indexed(name = "source_external_id", unique = true) String key,
		String source, String externalId, String leadId, TouchpointType type, Channel channel, Direction direction,
		Instant occurredAt, Instant recordedAt, String recordedBy, @Nullable Campaign campaign,
		Map<String, Object> properties) {

	static String key(String source, String externalId) {
		return source + '\u001f' + externalId;
	}

	/** The id of this touchpoint's TOUCHPOINT_RECORDED event: stable, so recording it is idempotent. */
	String eventId() {
		return "touchpoint-" + id;
	}
}
