package io.leadgraph.security;

import java.util.Arrays;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the {@code prod} profile without an external MongoDB and token issuer, or with
 * the embedded dev issuer switched on. Runs before any bean is created, so nothing half-starts.
 */
@Component
class ProductionGuard implements BeanFactoryPostProcessor, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!Arrays.asList(environment.getActiveProfiles()).contains("prod")) {
			return;
		}
		if (environment.getProperty("leadgraph.dev-issuer.enabled", Boolean.class, false)) {
			throw new IllegalStateException(
					"Refusing to start: the embedded dev token issuer (leadgraph.dev-issuer.enabled) must not run in the prod profile");
		}
		if (environment.getProperty("spring.mongodb.uri", "").isBlank()) {
			throw new IllegalStateException("Refusing to start: the prod profile needs a MongoDB replica set "
					+ "(spring.mongodb.uri); the embedded store is for trying Leadgraph only");
		}
		String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
		if (issuer.isBlank()) {
			throw new IllegalStateException("Refusing to start: the prod profile needs an external token issuer "
					+ "(spring.security.oauth2.resourceserver.jwt.issuer-uri)");
		}
	}
}
