package io.leadgraph.guard;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * HTTP statuses of the guards' refusals: a rate limit 429 with Retry-After, an idempotency key used
 * for another request 422, one whose request still runs 409, a malformed one 400.
 */
@Configuration(proxyBeanMethods = false)
class RefusalStatuses {

	private static final Map<String, HttpStatus> STATUSES = Map.of(RateLimits.RATE_LIMITED,
			HttpStatus.TOO_MANY_REQUESTS, IdempotencyKeys.REUSED, HttpStatus.UNPROCESSABLE_CONTENT, IdempotencyKeys.IN_USE,
			HttpStatus.CONFLICT, IdempotencyKeys.INVALID, HttpStatus.BAD_REQUEST);

	/**
	 * Boot's HTTP handler, made when Boot makes it, swapped for one that picks these statuses
	 * (defining our own handler bean instead changed when Spring GraphQL's handlers are built, and
	 * with it graphql-ws refusals).
	 */
	@Bean
	static BeanPostProcessor refusalStatusesOnHttp(ObjectProvider<WebGraphQlHandler> handler) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return bean instanceof GraphQlHttpHandler && !(bean instanceof WithRefusalStatuses)
						? new WithRefusalStatuses(handler.getObject()) : bean;
			}
		};
	}

	private static final class WithRefusalStatuses extends GraphQlHttpHandler {

		WithRefusalStatuses(WebGraphQlHandler handler) {
			super(handler);
		}

		@Override
		protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
			for (ResponseError error : response.getErrors()) {
				if (error.getExtensions().get("code") instanceof String code && STATUSES.containsKey(code)) {
					return STATUSES.get(code);
				}
			}
			return super.selectResponseStatus(response, responseMediaType);
		}
	}

	/** Outermost, so that every refusal gets the header, wherever in the chain it was made. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebGraphQlInterceptor retryAfterHeader() {
		return (request, chain) -> chain.next(request).map(response -> {
			Object seconds = retryAfter(response);
			if (seconds != null) {
				response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, seconds.toString());
			}
			return response;
		});
	}

	private static @Nullable Object retryAfter(WebGraphQlResponse response) {
		for (ResponseError error : response.getErrors()) {
			if (RateLimits.RATE_LIMITED.equals(error.getExtensions().get("code"))) {
				return error.getExtensions().get("retryAfterSeconds");
			}
		}
		return null;
	}
}
