package io.leadgraph.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import io.leadgraph.event.EventFilter;
import io.leadgraph.event.EventLog;
import io.leadgraph.event.LeadEvent;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.UnorderedInserts;
import io.leadgraph.webhook.WebhookDelivery.DeliveryStatus;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Turns the event log into deliveries: one per event and active endpoint that wants its type, made
 * once (a unique index on endpoint + event), on the log writer only. Its cursor is stored, so a
 * restart resumes where it stopped. An endpoint gets the events recorded after it was made; with
 * no active endpoint the dispatcher does not read the log at all.
 */
@Component
class WebhookDispatcher {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	private static final int PAGE = 500;

	private static final Duration BUDGET = Duration.ofSeconds(2);

	private final MongoTemplate mongo;

	private final EventLog eventLog;

	private final JsonMapper json;

	private final Clock clock;

	WebhookDispatcher(MongoTemplate mongo, EventLog eventLog, JsonMapper json, Clock clock) {
		this.mongo = mongo;
		this.eventLog = eventLog;
		this.json = json;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.webhooks.dispatch-interval:1s}",
			initialDelayString = "${leadgraph.webhooks.dispatch-interval:1s}")
	void dispatch() {
		try {
			if (eventLog.isWriter()) {
				SystemCaller.runAs("system:webhooks", this::dispatchNew);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Webhook dispatch failed, retrying: {}", ex.toString());
		}
	}

	private void dispatchNew() {
		List<WebhookEndpoint> endpoints = mongo.find(Query.query(Criteria.where("active").is(true)), WebhookEndpoint.class);
		if (endpoints.isEmpty()) {
			return; // idle costs nothing; an endpoint made later only gets events recorded after it
		}
		long deadline = System.nanoTime() + BUDGET.toNanos();
		DispatchCursor cursor = mongo.findById(DispatchCursor.ID, DispatchCursor.class);
		long after = cursor == null ? 0 : cursor.position();
		List<LeadEvent> page;
		do {
			page = readAfter(after);
			if (page.isEmpty()) {
				return;
			}
			List<WebhookDelivery> deliveries = new ArrayList<>();
			Instant now = clock.instant();
			for (LeadEvent event : page) {
				for (WebhookEndpoint endpoint : endpoints) {
					if (endpoint.wants(event.type()) && !event.recordedAt().isBefore(endpoint.createdAt())) {
						deliveries.add(new WebhookDelivery(new ObjectId().toHexString(), endpoint.id(), event.eventId(),
								event.position(), event.type(), body(event), DeliveryStatus.PENDING, 0, now, Instant.EPOCH,
								null, null, null, now, null));
					}
				}
			}
			// a delivery already made (a crash before the cursor moved) is refused by the unique index
			UnorderedInserts.insert(mongo, WebhookDelivery.class, deliveries);
			after = page.getLast().position();
			mongo.upsert(Query.query(Criteria.where("_id").is(DispatchCursor.ID)), new Update().set("position", after),
					DispatchCursor.class);
		}
		while (page.size() == PAGE && System.nanoTime() < deadline);
	}

	/**
	 * The events after the cursor; from the oldest event kept when retention has passed it (webhooks
	 * idle for longer than the log keeps events): no endpoint active now is owed what is gone, as
	 * endpoints get only events recorded after they were made.
	 */
	private List<LeadEvent> readAfter(long after) {
		return eventLog.readAfterOrFromOldestKept(after, new EventFilter(null, null), PAGE - 1);
	}

	/** What receivers get: the event as the API describes it. */
	private String body(LeadEvent event) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("eventId", event.eventId());
		body.put("type", event.type());
		body.put("leadId", event.leadId());
		body.put("seq", event.seq());
		body.put("occurredAt", event.occurredAt().toString());
		body.put("actor", event.actor());
		body.put("payload", event.payload());
		return json.writeValueAsString(body);
	}
}
