package io.leadgraph.security;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The embedded OAuth2 authorization server of the dev profile: {@code POST /oauth2/token} with
 * client credentials for the {@link DemoClient}s, JWTs carrying their roles (and {@code partner_id}),
 * validated by the API with the same key. Off unless {@code leadgraph.dev-issuer.enabled} (dev
 * profile) and no external token configuration (issuer, JWK set or public key) is given, so it can
 * never stand in for a configured issuer; {@link ProductionGuard} refuses it under {@code prod}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${leadgraph.dev-issuer.enabled:false}"
		+ " and '${spring.security.oauth2.resourceserver.jwt.issuer-uri:}'.isBlank()"
		+ " and '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}'.isBlank()"
		+ " and '${spring.security.oauth2.resourceserver.jwt.public-key-location:}'.isBlank()")
class DevTokenIssuerConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DevTokenIssuerConfiguration.class);

	@Bean
	@Order(1)
	SecurityFilterChain devIssuerSecurityFilterChain(HttpSecurity http) throws Exception {
		http.oauth2AuthorizationServer(server -> http.securityMatcher(server.getEndpointsMatcher()))
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	@Bean
	RegisteredClientRepository demoClients(@Value("${leadgraph.dev-issuer.token-ttl:PT1H}") Duration tokenTtl) {
		return new InMemoryRegisteredClientRepository(Arrays.stream(DemoClient.values())
			.map(client -> RegisteredClient.withId(client.clientId)
				.clientId(client.clientId)
				.clientSecret("{noop}" + client.secret())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenSettings(TokenSettings.builder().accessTokenTimeToLive(tokenTtl).build())
				.build())
			.toList());
	}

	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> rolesInTokens(@Value("${leadgraph.security.roles-claim:roles}") String rolesClaim) {
		return context -> {
			if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				return;
			}
			DemoClient client = DemoClient.byClientId(context.getRegisteredClient().getClientId());
			if (client == null) {
				return;
			}
			context.getClaims().claim(rolesClaim, client.roles());
			if (client.partnerId != null) {
				context.getClaims().claim("partner_id", client.partnerId);
			}
		};
	}

	@Bean
	JWKSource<SecurityContext> devJwkSource(@Value("${leadgraph.dev-issuer.key-file:}") String keyFile) throws Exception {
		return new ImmutableJWKSet<>(new JWKSet(DevSigningKey.load(keyFile)));
	}

	@Bean
	JwtDecoder devJwtDecoder(JWKSource<SecurityContext> jwkSource, List<OAuth2TokenValidator<Jwt>> validators) {
		var decoder = NimbusJwtDecoder.withJwkSource(jwkSource).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(validators));
		return decoder;
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings() {
		return AuthorizationServerSettings.builder().build();
	}

	@EventListener(ApplicationReadyEvent.class)
	void announce(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
		log.warn("Dev token issuer is ON (dev profile; refused under prod). Demo clients (secret = id + '-secret'): {}",
				Arrays.stream(DemoClient.values())
					.map(client -> client.clientId + " [" + client.role.claimValue()
							+ (client.partnerId == null ? "" : ", partner_id=" + client.partnerId) + "]")
					.collect(Collectors.joining(", ")));
		log.warn("Get a token: curl -s -u demo-marketing:demo-marketing-secret -d grant_type=client_credentials "
				+ "http://localhost:{}/oauth2/token", port);
	}
}
