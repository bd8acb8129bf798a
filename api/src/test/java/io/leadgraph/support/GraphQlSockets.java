package io.leadgraph.support;

import java.net.URI;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;

/** graphql-ws clients for the tests. */
public final class GraphQlSockets {

	private GraphQlSockets() {
	}

	/** A graphql-ws client of the service on that port, authenticated in connection_init. */
	public static WebSocketGraphQlTester socket(int port, String token) {
		return WebSocketGraphQlTester.builder(URI.create("ws://localhost:" + port + "/graphql"),
				new StandardWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			})
			.build();
	}
}
