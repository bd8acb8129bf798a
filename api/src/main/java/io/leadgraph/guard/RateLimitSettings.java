package io.leadgraph.guard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-client budgets of cost points ({@code leadgraph.rate-limits.*}; the cost model is the query
 * limits' one): each client has a bucket of its role's budget, refilled evenly over the window.
 *
 * @param enabled whether requests are charged at all
 * @param window the time a full budget takes to refill
 * @param budgets points per window by role (a caller with several roles gets the largest)
 * @param maxSubscriptionsPerClient subscriptions one client may have open on one instance
 */
@ConfigurationProperties("leadgraph.rate-limits")
record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration window,
		@DefaultValue Budgets budgets, @DefaultValue("100") int maxSubscriptionsPerClient) {

	record Budgets(@DefaultValue("50000") long admin, @DefaultValue("50000") long marketing,
			@DefaultValue("50000") long sales, @DefaultValue("100000") long automation,
			@DefaultValue("10000") long partner) {
	}
}
