package io.leadgraph.guard;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 * for another request 422, one whose request still runs 409.
 */
@Configuration(proxyBeanMethods = false)
class RefusalStatuses {

	private static final Map<String, HttpStatus> STATUSES = Map.of(OperationLimits.RATE_LIMITED,
			HttpStatus.TOO_MANY_REQUESTS, IdempotencyKeys.REUSED, HttpStatus.UNPROCESSABLE_CONTENT, IdempotencyKeys.IN_USE,
			HttpStatus.CONFLICT);

	@Bean
	GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler) {
		return new GraphQlHttpHandler(handler) {

			@Override
			protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
				for (ResponseError error : response.getErrors()) {
					if (error.getExtensions().get("code") instanceof String code && STATUSES.containsKey(code)) {
						return STATUSES.get(code);
					}
				}
				return super.selectResponseStatus(response, responseMediaType);
			}
		};
	}

	@Bean
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
			if (OperationLimits.RATE_LIMITED.equals(error.getExtensions().get("code"))) {
				return error.getExtensions().get("retryAfterSeconds");
			}
		}
		return null;
	}
}
