package io.leadgraph.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/** The dev issuer never stands in for a configured one, whatever the profile. */
class DevTokenIssuerConditionTest {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(DevTokenIssuerConfiguration.class)
		.withPropertyValues("leadgraph.dev-issuer.enabled=true");

	@ParameterizedTest
	@ValueSource(strings = { "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://idp.example.com/realms/x",
			"spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://idp.example.com/jwks",
			"spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:key.pub" })
	void anyExternalTokenConfigurationSwitchesItOff(String external) {
		context.withPropertyValues(external)
			.run(started -> assertThat(started).doesNotHaveBean(RegisteredClientRepository.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "" })
	void itIsOffUnlessEnabled(String enabled) {
		new ApplicationContextRunner().withUserConfiguration(DevTokenIssuerConfiguration.class)
			.withPropertyValues(enabled.isEmpty() ? "unrelated=1" : "leadgraph.dev-issuer.enabled=" + enabled)
			.run(started -> assertThat(started).doesNotHaveBean(RegisteredClientRepository.class));
	}
}
