package io.leadgraph.config;

import java.time.Clock;

import graphql.scalars.ExtendedScalars;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Scalars of {@code common.graphqls}, the clock every feature reads time from, scheduling. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GraphQlConfiguration {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return wiring -> wiring.scalar(DateTimeScalar.INSTANCE).scalar(ExtendedScalars.Json);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}
}
