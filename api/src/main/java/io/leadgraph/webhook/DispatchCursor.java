package io.leadgraph.webhook;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** How far the dispatcher has turned the event log into deliveries. */
@Document("webhook_dispatch")
record DispatchCursor(@Id String id, long position) {

	static final String ID = "cursor";
}
