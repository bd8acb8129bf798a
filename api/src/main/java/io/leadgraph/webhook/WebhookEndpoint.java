package io.leadgraph.webhook;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Where to deliver events. The secret signs every delivery; it is shown once, when it is made.
 *
 * @param eventTypes the event types to deliver; empty means all
 * @param deadInARow deliveries that went DEAD since the last one delivered
 * @param disabledReason why Leadgraph switched the endpoint off, if it did
 */
@Document("webhook_endpoints")
record WebhookEndpoint(@Id String id, String url, List<String> eventTypes, @Indexed(name = "active") boolean active,
		String secret, Instant createdAt, String createdBy, Instant updatedAt, int deadInARow,
		@Nullable Instant disabledAt, @Nullable String disabledReason) {

	boolean wants(String eventType) {
		return active && (eventTypes.isEmpty() || eventTypes.contains(eventType));
	}
}
