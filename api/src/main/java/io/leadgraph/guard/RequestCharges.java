package io.leadgraph.guard;

import java.util.List;

import graphql.ExecutionResult;
import reactor.core.publisher.Mono;

import io.leadgraph.security.Caller;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every request, over HTTP or a graphql-ws socket, pays one point on arrival, before it is read further — refused documents,
 * replays and refusals included, so that nothing is free — and its operation's cost later, if it
 * runs. A client whose bucket is empty is refused here (429).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestCharges implements WebGraphQlInterceptor {

	private final RateLimitSettings settings;

	private final RateLimits rateLimits;

	RequestCharges(RateLimitSettings settings, RateLimits rateLimits) {
		this.settings = settings;
		this.rateLimits = rateLimits;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!settings.enabled() || SecurityContextHolder.getContext().getAuthentication() == null) {
			return chain.next(request);
		}
		RateLimits.Charge charge = rateLimits.charge(Caller.current(), 1);
		if (charge.paid()) {
			return chain.next(request);
		}
		ExecutionResult refused = ExecutionResult.newExecutionResult().errors(List.of(rateLimits.refusal(charge, 1))).build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused)));
	}
}
