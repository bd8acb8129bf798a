package io.leadgraph.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API is a stateless OAuth2 resource server: every request needs a valid JWT (401 otherwise),
 * except health probes, the dev GraphiQL page and the WebSocket upgrade (whose token comes in the
 * graphql-ws {@code connection_init}, see {@link WebSocketAuthentication}). What a caller may do is decided by
 * {@code @PreAuthorize} on the feature services, not here.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ApiSecurityConfiguration {

	@Bean
	JwtAuthenticationConverter jwtAuthenticationConverter(
			@Value("${leadgraph.security.roles-claim:roles}") String rolesClaim) {
		var authentication = new JwtAuthenticationConverter();
		authentication.setJwtGrantedAuthoritiesConverter(new RolesClaimConverter(rolesClaim));
		return authentication;
	}

	/**
	 * Every token must name its subject: rate-limit buckets, idempotency keys and actors in history
	 * are per subject, so tokens without one would share them. Boot adds this to the decoder it makes
	 * for an issuer; the dev issuer's decoder adds it too.
	 */
	@Bean
	JwtClaimValidator<String> subjectRequired() {
		return new JwtClaimValidator<>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank());
	}

	@Bean
	@Order(10)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, JwtAuthenticationConverter authentication,
			@Value("${spring.graphql.graphiql.enabled:false}") boolean graphiql,
			@Value("${spring.graphql.websocket.path:/graphql}") String webSocketPath) throws Exception {
		http.authorizeHttpRequests(requests -> {
			requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
			// graphql-ws authenticates in its connection_init message (WebSocketAuthentication), not on the upgrade
			requests.requestMatchers(request -> HttpMethod.GET.matches(request.getMethod())
					&& "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))
					&& webSocketPath.equals(request.getServletPath()))
				.permitAll();
			if (graphiql) {
				requests.requestMatchers("/graphiql", "/graphiql/**").permitAll();
			}
			requests.anyRequest().authenticated();
		})
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.oauth2ResourceServer(resourceServer -> resourceServer
				.jwt(jwt -> jwt.jwtAuthenticationConverter(authentication)));
		return http.build();
	}
}
