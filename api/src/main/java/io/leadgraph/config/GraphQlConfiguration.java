package io.leadgraph.config;

import java.time.Clock;

import graphql.execution.SubscriptionExecutionStrategy;
import graphql.scalars.ExtendedScalars;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Scalars of {@code common.graphqls}, the clock every feature reads time from, scheduling. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GraphQlConfiguration {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return wiring -> wiring.scalar(DateTimeScalar.INSTANCE).scalar(ExtendedScalars.Json);
	}

	/**
	 * Subscription events are sent in the order they were published. graphql-java completes each
	 * event's fields on its own (our field resolvers may run on other threads) and by default sends
	 * whichever is done first, which would break the log order subscribers rely on.
	 */
	@Bean
	WebGraphQlInterceptor keepSubscriptionEventsOrdered() {
		return (request, chain) -> {
			request.configureExecutionInput((input, builder) -> {
				input.getGraphQLContext().put(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true);
				return input;
			});
			return chain.next(request);
		};
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}
}
