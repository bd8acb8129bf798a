package io.leadgraph.security;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Spring GraphQL's graphql-ws handler with the edges of the protocol its authentication needs. A
 * socket whose {@code connection_init} is refused is closed with 4403, as the protocol recommends
 * (Spring closes with 4401, which the protocol keeps for operations before the acknowledgement), and
 * a socket is closed with 4403 one second after its token expires: its subscriptions have ended with
 * TOKEN_EXPIRED by then, well within the clock skew the token validator allows (60 s). graphql-ws
 * clients retry a 4403 with fresh connection params (a 4401 they would not). A frame that is not a
 * message a client may send ({@link GraphQlWsFrames}) is closed with 4400 as the protocol says, before
 * the framework reads it and fails with a 1011 and a logged stack trace. Only graphql-transport-ws
 * is offered: a socket that did not ask for it (none, or subscriptions-transport-ws's "graphql-ws")
 * is closed with 4406, as graphql-ws's own server does.
 */
final class TokenBoundWebSocketHandler extends GraphQlWebSocketHandler {

	static final CloseStatus FORBIDDEN = new CloseStatus(4403, "Forbidden");

	static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4403, "Token expired");

	private static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

	private static final CloseStatus SUBPROTOCOL_NOT_ACCEPTABLE = new CloseStatus(4406, "Subprotocol not acceptable");

	private static final String SUBPROTOCOL = "graphql-transport-ws";

	private static final Duration LAST_WORDS = Duration.ofSeconds(1);

	/** Timers count in nanoseconds (292 years at most); a token that outlives the service needs none. */
	private static final Duration NO_TIMER_BEYOND = Duration.ofDays(365L * 100);

	private static final String SOCKET = TokenBoundWebSocketHandler.class.getName() + ".socket";

	private static final String EXPIRY = TokenBoundWebSocketHandler.class.getName() + ".expiry";

	private final GraphQlWsFrames frames;

	TokenBoundWebSocketHandler(WebGraphQlHandler graphQl, JsonMapper json, Duration initTimeout,
			@Nullable Duration keepAlive, CorsConfiguration origins) {
		super(graphQl, new JacksonJsonHttpMessageConverter(json), initTimeout, keepAlive, origins);
		this.frames = new GraphQlWsFrames(json);
	}

	@Override
	public List<String> getSubProtocols() {
		return List.of(SUBPROTOCOL);
	}

	/** Closes the socket of a refused {@code connection_init} with 4403 (before Spring's 4401, which then does nothing). */
	static void refuse(WebSocketSessionInfo session) {
		if (session.getAttributes().get(SOCKET) instanceof WebSocketSession socket) {
			close(socket, FORBIDDEN);
		}
	}

	/** Called on the accepted {@code connection_init}: the socket closes when the token expires. */
	static void closeWhenExpired(WebSocketSessionInfo session, Instant expiresAt) {
		if (session.getAttributes().get(SOCKET) instanceof WebSocketSession socket) {
			Duration left = Duration.between(Instant.now(), expiresAt).plus(LAST_WORDS);
			if (left.compareTo(NO_TIMER_BEYOND) > 0) {
				return;
			}
			// a close may wait for a send to a client that stopped reading: not on the parallel timers
			Disposable expiry = Mono.delay(left.isNegative() ? Duration.ZERO : left, Schedulers.boundedElastic())
				.subscribe(tick -> close(socket, TOKEN_EXPIRED));
			session.getAttributes().put(EXPIRY, expiry);
			if (!session.getAttributes().containsKey(SOCKET)) {
				expiry.dispose(); // closed meanwhile
			}
		}
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		if (!SUBPROTOCOL.equalsIgnoreCase(session.getAcceptedProtocol())) {
			close(session, SUBPROTOCOL_NOT_ACCEPTABLE);
			return;
		}
		session.getAttributes().put(SOCKET, session);
		super.afterConnectionEstablished(session);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		if (!frames.isClientMessage(message.getPayload())) {
			close(session, INVALID_MESSAGE);
			return;
		}
		super.handleTextMessage(session, message);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		session.getAttributes().remove(SOCKET);
		if (session.getAttributes().remove(EXPIRY) instanceof Disposable expiry) {
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
