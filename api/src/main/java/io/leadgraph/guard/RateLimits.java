package io.leadgraph.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import graphql.GraphQLError;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import io.leadgraph.guard.RateLimitSettings.Budgets;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each client's budget of cost points, a token bucket per client (the token's subject) in this
 * instance: a request is charged its cost before it runs, and refused while the bucket cannot pay.
 * Buckets that have refilled completely are dropped (a new one starts full), so memory follows the
 * clients active in the last window.
 */
@Component
class RateLimits {

	/** What a charge left: whether it was paid, the budget, what remains, and when to retry if not. */
	record Charge(boolean paid, long budget, long remaining, long retryAfterSeconds) {
	}

	static final String RATE_LIMITED = "RATE_LIMITED";

	private final RateLimitSettings settings;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	RateLimits(RateLimitSettings settings) {
		this.settings = settings;
	}

	Charge charge(Caller caller, long cost) {
		long budget = budgetOf(caller);
		Bucket bucket = buckets.computeIfAbsent(caller.actor() + '\u001f' + budget, key -> Bucket.builder()
			.addLimit(limit -> limit.capacity(budget).refillGreedy(budget, settings.window()))
			.build());
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(cost, 1));
		// a cost above the whole budget never fits (Bucket4j says Long.MAX_VALUE): wait a window
		long waitNanos = Math.min(probe.getNanosToWaitForRefill(), settings.window().toNanos());
		long retryAfter = probe.isConsumed() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
		return new Charge(probe.isConsumed(), budget, probe.getRemainingTokens(), retryAfter);
	}

	/** The error of a request its client cannot pay: RATE_LIMITED, answered over HTTP with 429 and Retry-After. */
	GraphQLError refusal(Charge charge, long cost) {
		return GraphQLError.newError()
			.errorType(ErrorType.BAD_REQUEST)
			.message("Rate limit: this client's budget of " + charge.budget() + " cost points per "
					+ settings.window().toSeconds() + " s cannot pay " + cost + " now; retry in "
					+ charge.retryAfterSeconds() + " s")
			.extensions(Map.of("code", RATE_LIMITED, "cost", cost, "remaining", charge.remaining(), "retryAfterSeconds",
					charge.retryAfterSeconds()))
			.build();
	}

	/**
	 * The largest budget among the caller's roles (each as configured, even below the partners'); a
	 * caller without a role gets the smallest.
	 */
	private long budgetOf(Caller caller) {
		Budgets budgets = settings.budgets();
		Map<Role, Long> byRole = Map.of(Role.ADMIN, budgets.admin(), Role.MARKETING, budgets.marketing(), Role.SALES,
				budgets.sales(), Role.AUTOMATION, budgets.automation(), Role.PARTNER, budgets.partner());
		return caller.roles()
			.stream()
			.map(byRole::get)
			.max(Long::compare)
			.orElseGet(() -> byRole.values().stream().min(Long::compare).orElseThrow());
	}

	@Scheduled(fixedDelayString = "${leadgraph.rate-limits.window:1m}")
	void dropFullBuckets() {
		for (String key : buckets.keySet()) {
			long capacity = Long.parseLong(key.substring(key.lastIndexOf('\u001f') + 1));
			// atomically with charges: a bucket being charged is not full
			buckets.computeIfPresent(key, (same, bucket) -> bucket.getAvailableTokens() >= capacity ? null : bucket);
		}
	}
}
