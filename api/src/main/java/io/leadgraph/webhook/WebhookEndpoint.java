package io.leadgraph.webhook;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Where to deliver events. The secret signs every delivery; it is shown once, when it is made.
 *
 * @param eventTypes the event types to deliver; empty means all
 */
@Document("webhook_endpoints")
record WebhookEndpoint(@Id String id, String url, List<String> eventTypes, @Indexed(name = "active") boolean active,
		String secret,
		Instant createdAt, String createdBy, Instant updatedAt) {

	boolean wants(String eventType) {
		return active && (eventTypes.isEmpty() || eventTypes.contains(eventType));
	}
}
