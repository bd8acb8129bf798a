package io.leadgraph.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.webhook.WebhookDelivery.DeliveryStatus;
import io.leadgraph.webhook.WebhookTargets.RefusedTarget;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Attempts due deliveries, at least once each: an instance claims a delivery by setting a lease on
 * it atomically, so two instances never attempt it at the same time and a crashed instance's claim
 * lapses. A 2xx answer delivers it; anything else schedules a retry with exponential backoff and
 * jitter, until {@code leadgraph.webhooks.max-attempts}, after which it is DEAD until redelivered.
 */
@Component
class WebhookSender {

	private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

	private static final int CLAIMS_PER_RUN = 50;

	private static final Duration LEASE = Duration.ofSeconds(60);

	private final MongoTemplate mongo;

	private final WebhookTargets targets;

	private final Clock clock;

	private final Duration retryBase;

	private final int maxAttempts;

	private final int disableAfterDead;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	WebhookSender(MongoTemplate mongo, WebhookTargets targets, Clock clock,
			@Value("${leadgraph.webhooks.retry-base:10s}") Duration retryBase,
			@Value("${leadgraph.webhooks.max-attempts:8}") int maxAttempts,
			@Value("${leadgraph.webhooks.disable-after-dead:20}") int disableAfterDead) {
		this.mongo = mongo;
		this.targets = targets;
		this.clock = clock;
		this.retryBase = retryBase;
		this.maxAttempts = maxAttempts;
		this.disableAfterDead = disableAfterDead;
	}

	@Scheduled(fixedDelayString = "${leadgraph.webhooks.send-interval:1s}",
			initialDelayString = "${leadgraph.webhooks.send-interval:1s}")
	void sendDue() {
		try {
			List<WebhookDelivery> claimed = new ArrayList<>();
			WebhookDelivery next;
			while (claimed.size() < CLAIMS_PER_RUN && (next = claimNext()) != null) {
				claimed.add(next);
			}
			if (claimed.isEmpty()) {
				return;
			}
			// one virtual thread per attempt: a slow receiver does not hold up the others
			try (ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor()) {
				claimed.forEach(delivery -> attempts.submit(() -> attempt(delivery)));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Webhook sending failed, retrying: {}", ex.toString());
		}
	}

	private @Nullable WebhookDelivery claimNext() {
		Instant now = clock.instant();
		Query due = Query.query(Criteria.where("status").is(DeliveryStatus.PENDING).and("nextAttemptAt").lte(now)
			.and("leaseUntil").lte(now)).with(Sort.by("nextAttemptAt"));
		return mongo.findAndModify(due, new Update().set("leaseUntil", now.plus(LEASE)),
				FindAndModifyOptions.options().returnNew(true), WebhookDelivery.class);
	}

	private void attempt(WebhookDelivery delivery) {
		WebhookEndpoint endpoint = mongo.findById(delivery.endpointId(), WebhookEndpoint.class);
		if (endpoint == null || !endpoint.active()) {
			record(delivery, null, null, "endpoint is inactive or gone", true);
			return;
		}
		long started = System.nanoTime();
		try {
			URI target = targets.check(endpoint.url());
			long timestamp = clock.instant().getEpochSecond();
			HttpRequest request = HttpRequest.newBuilder(target)
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("User-Agent", "Leadgraph-Webhooks/1")
				.header(WebhookSignature.EVENT_ID_HEADER, delivery.eventId())
				.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
				.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(endpoint.secret(), timestamp, delivery.body()))
				.POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
				.build();
			HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
			long latency = (System.nanoTime() - started) / 1_000_000;
			boolean delivered = response.statusCode() / 100 == 2;
			record(delivery, response.statusCode(), latency, delivered ? null : "HTTP " + response.statusCode(), false);
		}
		catch (RefusedTarget refused) {
			record(delivery, null, null, "target refused: " + refused.getMessage(), true);
		}
		catch (HttpTimeoutException ex) {
			record(delivery, null, (System.nanoTime() - started) / 1_000_000, "timed out", false);
		}
		catch (IOException ex) {
			record(delivery, null, (System.nanoTime() - started) / 1_000_000, "could not connect", false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void record(WebhookDelivery delivery, @Nullable Integer code, @Nullable Long latency,
			@Nullable String error, boolean giveUp) {
		Instant now = clock.instant();
		int attempts = delivery.attempts() + 1;
		Update update = new Update().set("attempts", attempts)
			.set("lastResponseCode", code)
			.set("lastLatencyMillis", latency)
			.set("lastError", error)
			.set("leaseUntil", Instant.EPOCH);
		boolean dead = error != null && (giveUp || attempts >= maxAttempts);
		if (error == null) {
			update.set("status", DeliveryStatus.DELIVERED).set("deliveredAt", now);
		}
		else if (dead) {
			update.set("status", DeliveryStatus.DEAD);
		}
		else {
			update.set("nextAttemptAt", now.plus(backoff(attempts)));
		}
		mongo.updateFirst(Query.query(Criteria.where("_id").is(delivery.id())), update, WebhookDelivery.class);
		if (error == null) {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(delivery.endpointId())),
					new Update().set("deadInARow", 0), WebhookEndpoint.class);
		}
		else if (dead && !giveUp) {
			countDead(delivery.endpointId(), now);
		}
	}

	/**
	 * Switches an endpoint off after {@code leadgraph.webhooks.disable-after-dead} deliveries in a row
	 * went DEAD: it has failed every attempt for hours, and deliveries to it only pile up.
	 */
	private void countDead(String endpointId, Instant now) {
		WebhookEndpoint endpoint = mongo.findAndModify(Query.query(Criteria.where("_id").is(endpointId)),
				new Update().inc("deadInARow", 1), FindAndModifyOptions.options().returnNew(true), WebhookEndpoint.class);
		if (endpoint != null && endpoint.active() && endpoint.deadInARow() >= disableAfterDead) {
			String reason = endpoint.deadInARow() + " deliveries in a row failed every attempt";
			mongo.updateFirst(Query.query(Criteria.where("_id").is(endpointId)),
					new Update().set("active", false).set("disabledAt", now).set("disabledReason", reason),
					WebhookEndpoint.class);
			log.warn("Webhook endpoint {} ({}) switched off: {}", endpointId, endpoint.url(), reason);
		}
	}

	/** Exponential (base × 2^(attempt−1), at most an hour) with ±50 % jitter, so retries of many deliveries spread out. */
	private Duration backoff(int attempts) {
		long base = retryBase.toMillis() << Math.min(attempts - 1, 20);
		long capped = Math.min(base, Duration.ofHours(1).toMillis());
		return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble())));
	}
}
