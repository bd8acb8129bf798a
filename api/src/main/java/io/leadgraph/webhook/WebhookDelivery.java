package io.leadgraph.webhook;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One event for one endpoint, and how delivering it went. The body is fixed when the delivery is
 * made (events are immutable), so every attempt sends the same bytes.
 *
 * @param leaseUntil while in the future, one instance is attempting it and no other may
 */
@Document("webhook_deliveries")
@CompoundIndex(name = "endpoint_event", def = "{'endpointId': 1, 'eventId': 1}", unique = true)
@CompoundIndex(name = "due", def = "{'status': 1, 'nextAttemptAt': 1}")
@CompoundIndex(name = "endpoint_newest", def = "{'endpointId': 1, 'position': -1}")
record WebhookDelivery(@Id String id, String endpointId, String eventId, long position, String eventType,
		String body, DeliveryStatus status, int attempts, Instant nextAttemptAt, Instant leaseUntil,
		@Nullable Integer lastResponseCode, @Nullable Long lastLatencyMillis, @Nullable String lastError,
		Instant createdAt, @Nullable Instant deliveredAt) {

	enum DeliveryStatus {
		PENDING, DELIVERED, DEAD
	}
}
