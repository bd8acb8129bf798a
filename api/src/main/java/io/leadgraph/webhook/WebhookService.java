package io.leadgraph.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import io.leadgraph.security.Caller;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.NotFoundException;
import io.leadgraph.webhook.WebhookDelivery.DeliveryStatus;
import io.leadgraph.webhook.WebhookTargets.RefusedTarget;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** The webhook feature's public face: endpoints, their secrets, the delivery log and redelivery. Admin and automation. */
@Service
@PreAuthorize("hasAnyRole('admin', 'automation')")
class WebhookService {

	static final int MAX_EVENT_TYPES = 50;

	static final int MAX_DELIVERIES = 100;

	private final MongoTemplate mongo;

	private final WebhookTargets targets;

	private final Clock clock;

	WebhookService(MongoTemplate mongo, WebhookTargets targets, Clock clock) {
		this.mongo = mongo;
		this.targets = targets;
		this.clock = clock;
	}

	/** A new endpoint and its secret, which is shown this once. */
	WebhookEndpoint create(String url, @Nullable List<String> eventTypes, @Nullable Boolean active) {
		Instant now = clock.instant();
		return mongo.insert(new WebhookEndpoint(new ObjectId().toHexString(), checkedUrl(url), checkedTypes(eventTypes),
				active == null || active, WebhookSignature.newSecret(), now, Caller.current().actor(), now, 0, null, null));
	}

	WebhookEndpoint update(String id, @Nullable String url, @Nullable List<String> eventTypes, @Nullable Boolean active) {
		Update update = new Update().set("updatedAt", clock.instant());
		if (url != null) {
			update.set("url", checkedUrl(url));
		}
		if (eventTypes != null) {
			update.set("eventTypes", checkedTypes(eventTypes));
		}
		if (active != null) {
			update.set("active", active);
		}
		if (Boolean.TRUE.equals(active)) {
			update.set("deadInARow", 0).unset("disabledAt").unset("disabledReason");
		}
		return modify(id, update);
	}

	/** A new secret for the endpoint, shown this once; the old one stops signing at once. */
	WebhookEndpoint rotateSecret(String id) {
		return modify(id, new Update().set("secret", WebhookSignature.newSecret()).set("updatedAt", clock.instant()));
	}

	List<WebhookEndpoint> endpoints() {
		return mongo.find(new Query().with(Sort.by("_id")), WebhookEndpoint.class);
	}

	/** An endpoint's deliveries, newest event first. */
	List<WebhookDelivery> deliveries(String endpointId, @Nullable DeliveryStatus status, int first) {
		if (first < 1 || first > MAX_DELIVERIES) {
			throw new InvalidInputException("first", "OUT_OF_RANGE", "must be between 1 and " + MAX_DELIVERIES);
		}
		Criteria criteria = Criteria.where("endpointId").is(endpointId);
		if (status != null) {
			criteria = criteria.and("status").is(status);
		}
		return mongo.find(Query.query(criteria).with(Sort.by(Sort.Direction.DESC, "position")).limit(first),
				WebhookDelivery.class);
	}

	/** Sends the event to the endpoint again from scratch (a full set of attempts), whatever happened before. */
	WebhookDelivery redeliver(String endpointId, String eventId) {
		Instant now = clock.instant();
		WebhookDelivery delivery = mongo.findAndModify(
				Query.query(Criteria.where("endpointId").is(endpointId).and("eventId").is(eventId)),
				new Update().set("status", DeliveryStatus.PENDING)
					.set("attempts", 0)
					.set("nextAttemptAt", now)
					.set("leaseUntil", Instant.EPOCH),
				FindAndModifyOptions.options().returnNew(true),
				WebhookDelivery.class);
		if (delivery == null) {
			throw new NotFoundException("Delivery of event " + eventId + " to endpoint", endpointId);
		}
		return delivery;
	}

	private WebhookEndpoint modify(String id, Update update) {
		WebhookEndpoint endpoint = mongo.findAndModify(Query.query(Criteria.where("_id").is(id)), update,
				FindAndModifyOptions.options().returnNew(true),
				WebhookEndpoint.class);
		if (endpoint == null) {
			throw new NotFoundException("Webhook endpoint", id);
		}
		return endpoint;
	}

	private String checkedUrl(String url) {
		try {
			return targets.check(url).toString();
		}
		catch (RefusedTarget refused) {
			throw new InvalidInputException("input.url", refused.code, refused.getMessage());
		}
	}

	private static List<String> checkedTypes(@Nullable List<String> eventTypes) {
		if (eventTypes == null) {
			return List.of();
		}
		if (eventTypes.size() > MAX_EVENT_TYPES) {
			throw new InvalidInputException("input.eventTypes", "TOO_MANY", "at most " + MAX_EVENT_TYPES + " event types");
		}
		return eventTypes.stream().distinct().toList();
	}
}
