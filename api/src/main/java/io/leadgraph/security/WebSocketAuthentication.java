package io.leadgraph.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.web.cors.CorsConfiguration;

import tools.jackson.databind.json.JsonMapper;

/**
 * graphql-ws connections authenticate with the token in their {@code connection_init} payload
 * ({@code {"Authorization": "Bearer …"}}), never in the URL, and live no longer than that token.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketAuthentication {

	@Bean
	WebSocketGraphQlInterceptor connectionInitAuthentication(JwtDecoder decoder, JwtAuthenticationConverter converter) {
		var provider = new JwtAuthenticationProvider(decoder);
		provider.setJwtAuthenticationConverter(converter);
		return new ConnectionInitAuthentication(new ProviderManager(provider));
	}

	/**
	 * Boot's graphql-ws handler, configured as Boot would (JSON through Boot's Jackson mapper, the
	 * only one this service uses), with the edges {@link TokenBoundWebSocketHandler} adds.
	 */
	@Bean
	@ConditionalOnProperty("spring.graphql.websocket.path")
	GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler graphQl, JsonMapper json, GraphQlProperties properties,
			GraphQlCorsProperties cors) {
		CorsConfiguration origins = cors.toCorsConfiguration();
		return new TokenBoundWebSocketHandler(graphQl, json,
				properties.getWebsocket().getConnectionInitTimeout(), properties.getWebsocket().getKeepAlive(),
				origins != null ? origins : new CorsConfiguration());
	}
}
