package io.leadgraph.guard;

import java.time.Duration;
import java.util.Map;

import graphql.ExecutionResult;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.graphql.server.webmvc.GraphQlSseHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

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
	 * Boot's HTTP and SSE handlers, made when Boot makes them, swapped for ones that pick these
	 * statuses (defining our own handler beans instead changed when Spring GraphQL's handlers are
	 * built, and with it graphql-ws refusals).
	 */
	@Bean
	static BeanPostProcessor refusalStatusesOnHttp(ObjectProvider<WebGraphQlHandler> handler,
			ObjectProvider<GraphQlProperties> properties) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof GraphQlHttpHandler && !(bean instanceof WithRefusalStatuses)) {
					return new WithRefusalStatuses(handler.getObject());
				}
				if (bean instanceof GraphQlSseHandler && !(bean instanceof RefusalsOnSse)) {
					var sse = properties.getObject().getHttp().getSse();
					return new RefusalsOnSse(handler.getObject(), sse.getTimeout(), sse.getKeepAlive());
				}
				return bean;
			}
		};
	}

	private static HttpStatus statusOf(WebGraphQlResponse response, HttpStatus otherwise) {
		for (ResponseError error : response.getErrors()) {
			if (error.getExtensions().get("code") instanceof String code && STATUSES.containsKey(code)) {
				return STATUSES.get(code);
			}
		}
		return otherwise;
	}

	private static final class WithRefusalStatuses extends GraphQlHttpHandler {

		WithRefusalStatuses(WebGraphQlHandler handler) {
			super(handler);
		}

		@Override
		protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
			return statusOf(response, super.selectResponseStatus(response, responseMediaType));
		}
	}

	/**
	 * Over SSE, Spring GraphQL answers every response that is not a stream with one error, "SSE
	 * handler supports only subscriptions", whatever it was: a refusal, a validation error, a
	 * mutation's result. Here a request refused before it ran is answered as over HTTP (JSON, the
	 * errors, 400 or the guards' status, Retry-After), and a result without a stream is sent as one
	 * event, as graphql-sse does.
	 */
	private static final class RefusalsOnSse extends GraphQlSseHandler {

		RefusalsOnSse(WebGraphQlHandler handler, @Nullable Duration timeout, @Nullable Duration keepAlive) {
			super(handler, timeout, keepAlive);
		}

		@Override
		protected ServerResponse prepareResponse(ServerRequest request, Mono<WebGraphQlResponse> responses) {
			return ServerResponse.async(responses.map(response -> {
				if (response.getData() instanceof Publisher<?>) {
					return super.prepareResponse(request, Mono.just(response));
				}
				if (response.getData() == null) {
					return ServerResponse.status(statusOf(response, HttpStatus.BAD_REQUEST))
						.headers(headers -> headers.addAll(response.getResponseHeaders()))
						.contentType(MediaType.APPLICATION_JSON)
						.body(response.toMap());
				}
				ExecutionResult single = response.getExecutionResult();
				return super.prepareResponse(request,
						Mono.just(response.transform(builder -> builder.data(Mono.just(single)))));
			}));
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
