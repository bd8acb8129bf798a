package io.leadgraph.guard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import graphql.GraphQLError;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.leadgraph.security.Caller;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * At most {@code leadgraph.rate-limits.max-subscriptions-per-client} (100) open subscriptions per
 * client and instance, over graphql-ws and SSE together; one more ends at once with
 * {@code TOO_MANY_SUBSCRIPTIONS}. A subscription pays its cost once, when it starts, and then holds a
 * buffer and a place on the live reader for as long as it stays: this bounds what one client holds.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class SubscriptionLimits implements WebGraphQlInterceptor {

	static final String TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS";

	private final int max;

	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	SubscriptionLimits(RateLimitSettings settings) {
		this.max = settings.maxSubscriptionsPerClient();
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (SecurityContextHolder.getContext().getAuthentication() == null) {
			return chain.next(request);
		}
		String client = Caller.current().actor();
		return chain.next(request).map(response -> response.getData() instanceof Publisher<?> events
				? response.transform(builder -> builder.data(counted(client, events))) : response);
	}

	private Flux<?> counted(String client, Publisher<?> events) {
		return Flux.defer(() -> {
			if (open.merge(client, 1, Integer::sum) > max) {
				close(client);
				return Flux.error(new SubscriptionPublisherException(List.of(refusal()), null));
			}
			return Flux.from(events).doFinally(signal -> close(client));
		});
	}

	private void close(String client) {
		open.computeIfPresent(client, (key, count) -> count > 1 ? count - 1 : null);
	}

	private GraphQLError refusal() {
		return GraphQLError.newError()
			.errorType(ErrorType.BAD_REQUEST)
			.message("This client has " + max + " subscriptions open, as many as it may; end one first")
			.extensions(Map.of("code", TOO_MANY_SUBSCRIPTIONS, "limit", max))
			.build();
	}
}
