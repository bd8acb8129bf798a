package io.leadgraph.security;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.graphql.server.webmvc.AuthenticationWebSocketInterceptor;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * graphql-ws connections authenticate with the token in their {@code connection_init} payload
 * ({@code {"Authorization": "Bearer …"}}), never in the URL. Spring GraphQL's interceptor validates it
 * like an HTTP request's and puts the caller in the security context of every operation on the
 * socket; a connection without a token, or with an invalid one, is closed with 4401.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketAuthentication {

	@Bean
	WebSocketGraphQlInterceptor connectionInitAuthentication(JwtDecoder decoder, JwtAuthenticationConverter converter) {
		var provider = new JwtAuthenticationProvider(decoder);
		provider.setJwtAuthenticationConverter(converter);
		var bearer = new AuthenticationWebSocketInterceptor(new BearerTokenAuthenticationExtractor(),
				new ProviderManager(provider));
		return new WebSocketGraphQlInterceptor() {

			@Override
			public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session,
					Map<String, Object> payload) {
				if (!(payload.get(BearerTokenAuthenticationExtractor.AUTHORIZATION_KEY) instanceof String value)
						|| value.isBlank()) {
					return Mono.error(new BadCredentialsException("connection_init carries no Authorization"));
				}
				return bearer.handleConnectionInitialization(session, payload);
			}

			@Override
			public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
				return bearer.intercept(request, chain);
			}
		};
	}
}
