package io.leadgraph.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductionGuardTest {

	@Test
	void prodNeedsAnExternalIssuerAndStore() {
		assertThatThrownBy(() -> check(prod())).hasMessageContaining("spring.mongodb.uri");
		assertThatThrownBy(() -> check(prod().withProperty("spring.mongodb.uri", "mongodb://db/leadgraph")))
			.hasMessageContaining("issuer-uri");
		assertThatCode(() -> check(complete())).doesNotThrowAnyException();
	}

	@Test
	void prodRefusesTheDevIssuer() {
		assertThatThrownBy(() -> check(complete().withProperty("leadgraph.dev-issuer.enabled", "true")))
			.hasMessageContaining("dev token issuer");
	}

	@Test
	void otherProfilesAreNotChecked() {
		assertThatCode(() -> check(new MockEnvironment())).doesNotThrowAnyException();
	}

	private static MockEnvironment prod() {
		var environment = new MockEnvironment();
		environment.setActiveProfiles("prod");
		return environment;
	}

	private static MockEnvironment complete() {
		return prod().withProperty("spring.mongodb.uri", "mongodb://db/leadgraph")
			.withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://idp.example.com/realms/x");
	}

	private static void check(MockEnvironment environment) {
		var guard = new ProductionGuard();
		guard.setEnvironment(environment);
		guard.postProcessBeanFactory(null);
	}
}
