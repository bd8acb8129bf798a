package io.leadgraph.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API is a stateless OAuth2 resource server: every request needs a valid JWT (401 otherwise),
 * except health probes and the dev GraphiQL page. What a caller may do is decided by
 * {@code @PreAuthorize} on the feature services, not here.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ApiSecurityConfiguration {

	@Bean
	@Order(10)
	SecurityFilterChain apiSecurityFilterChain(HttpSecurity http,
			@Value("${leadgraph.security.roles-claim:roles}") String rolesClaim,
			@Value("${spring.graphql.graphiql.enabled:false}") boolean graphiql) throws Exception {
		var authentication = new JwtAuthenticationConverter();
		authentication.setJwtGrantedAuthoritiesConverter(new RolesClaimConverter(rolesClaim));
		http.authorizeHttpRequests(requests -> {
			requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
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
