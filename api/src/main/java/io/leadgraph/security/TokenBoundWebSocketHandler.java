package io.leadgraph.security;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Spring GraphQL's graphql-ws handler with two edges of the protocol made strict. A socket is closed
 * with 4403 one second after its token expires: its subscriptions have ended with TOKEN_EXPIRED by
 * then, well within the clock skew the token validator allows (60 s), and graphql-ws clients treat
 * 4403 as worth a retry with fresh connection params (4401 they would not retry). A frame that is not
 * a graphql-ws message (not JSON, no or an unknown type, a subscribe without payload) is closed with
 * 4400 as the protocol says, not with the 1011 and logged stack trace the framework gives it.
 */
final class TokenBoundWebSocketHandler extends GraphQlWebSocketHandler {

	static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4403, "Token expired");

	private static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

	private static final Duration LAST_WORDS = Duration.ofSeconds(1);

	private static final String EXPIRES_AT = TokenBoundWebSocketHandler.class.getName() + ".expiresAt";

	private final Map<String, Disposable> expiries = new ConcurrentHashMap<>();

	TokenBoundWebSocketHandler(WebGraphQlHandler graphQl, HttpMessageConverter<Object> json, Duration initTimeout,
			@Nullable Duration keepAlive, CorsConfiguration origins) {
		super(graphQl, json, initTimeout, keepAlive, origins);
	}

	/** Called on the accepted {@code connection_init}: the socket closes when the token expires. */
	static void closeWhenExpired(WebSocketSessionInfo session, Instant expiresAt) {
		session.getAttributes().put(EXPIRES_AT, expiresAt);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		try {
			super.handleTextMessage(session, message);
		}
		// thrown while decoding, before anything runs: unreadable JSON or type, no type, no payload
		catch (HttpMessageNotReadableException | IllegalStateException notAMessage) {
			close(session, INVALID_MESSAGE);
			return;
		}
		if (session.getAttributes().remove(EXPIRES_AT) instanceof Instant expiresAt) {
			Duration left = Duration.between(Instant.now(), expiresAt).plus(LAST_WORDS);
			expiries.put(session.getId(), Mono.delay(left.isNegative() ? Duration.ZERO : left)
				.subscribe(tick -> close(session, TOKEN_EXPIRED)));
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Disposable expiry = expiries.remove(session.getId());
		if (expiry != null) {
			expiry.dispose();
		}
		super.afterConnectionClosed(session, status);
	}

	private static void close(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException alreadyGone) {
			// the client left first; nothing to tell it
		}
	}
}
