package io.leadgraph.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import io.leadgraph.guard.RateLimitSettings.Budgets;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

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
		long retryAfter = probe.isConsumed() ? 0
				: Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
		return new Charge(probe.isConsumed(), budget, probe.getRemainingTokens(), retryAfter);
	}

	/** The largest budget of the caller's roles; a caller without one gets the smallest, a partner's. */
	private long budgetOf(Caller caller) {
		Budgets budgets = settings.budgets();
		long budget = budgets.partner();
		if (caller.has(Role.ADMIN)) {
			budget = Math.max(budget, budgets.admin());
		}
		if (caller.has(Role.MARKETING)) {
			budget = Math.max(budget, budgets.marketing());
		}
		if (caller.has(Role.SALES)) {
			budget = Math.max(budget, budgets.sales());
		}
		if (caller.has(Role.AUTOMATION)) {
			budget = Math.max(budget, budgets.automation());
		}
		return budget;
	}

	@Scheduled(fixedDelayString = "${leadgraph.rate-limits.window:1m}")
	void dropFullBuckets() {
		buckets.entrySet().removeIf(entry -> {
			long capacity = Long.parseLong(entry.getKey().substring(entry.getKey().lastIndexOf('\u001f') + 1));
			return entry.getValue().getAvailableTokens() >= capacity;
		});
	}
}
