package io.leadgraph.security;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Validates the bearer token of a {@code connection_init} like an HTTP request's and runs every
 * operation on the socket as its caller; no token, or an invalid one, closes the socket with 4403.
 * Spring GraphQL's {@code AuthenticationWebSocketInterceptor} does the same but keeps the caller to
 * itself, and the socket must learn when the token expires; a token that has expired already (the
 * validator allows 60 s of clock skew) is refused too, rather than acknowledged and closed at once.
 * Ahead of the guards' interceptors, so that they (rate limits) see the caller as they do on HTTP.
 */
final class ConnectionInitAuthentication implements WebSocketGraphQlInterceptor, Ordered {

	private static final String SECURITY_CONTEXT = ConnectionInitAuthentication.class.getName() + ".securityContext";

	private static final Logger log = LoggerFactory.getLogger(ConnectionInitAuthentication.class);

	private final BearerTokenAuthenticationExtractor bearer = new BearerTokenAuthenticationExtractor();

	private final AuthenticationManager tokens;

	ConnectionInitAuthentication(AuthenticationManager tokens) {
		this.tokens = tokens;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
		Mono<Authentication> presented = presentsToken(payload) ? bearer.getAuthentication(payload) : Mono.empty();
		return presented.switchIfEmpty(Mono.error(() -> new BadCredentialsException("connection_init carries no Authorization")))
			.map(tokens::authenticate)
			.filter(caller -> expiresAt(caller) == null || expiresAt(caller).isAfter(Instant.now()))
			.switchIfEmpty(Mono.error(() -> new CredentialsExpiredException("the token expired")))
			.doOnNext(caller -> {
				session.getAttributes().put(SECURITY_CONTEXT, new SecurityContextImpl(caller));
				@Nullable Instant expiresAt = expiresAt(caller);
				if (expiresAt != null) {
					TokenBoundWebSocketHandler.closeWhenExpired(session, expiresAt);
				}
			})
			.doOnError(refused -> {
				if (!(refused instanceof AuthenticationException) || refused instanceof AuthenticationServiceException) {
					log.warn("connection_init refused for a reason of ours, not of its token", refused);
				}
				TokenBoundWebSocketHandler.refuse(session);
			})
			.then(Mono.empty());
	}

	/** Spring's extractor takes the Authorization key in any case, and a missing one as anonymous. */
	private static boolean presentsToken(Map<String, Object> payload) {
		return payload.entrySet()
			.stream()
			.anyMatch(entry -> BearerTokenAuthenticationExtractor.AUTHORIZATION_KEY.equalsIgnoreCase(entry.getKey())
					&& entry.getValue() instanceof String value && !value.isBlank());
	}

	private static @Nullable Instant expiresAt(Authentication caller) {
		return caller.getPrincipal() instanceof Jwt jwt ? jwt.getExpiresAt() : null;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest onSocket)
				|| !(onSocket.getSessionInfo().getAttributes().get(SECURITY_CONTEXT) instanceof SecurityContext caller)) {
			return chain.next(request);
		}
		// while the chain is put together, as on an HTTP request's thread; for the data fetchers, under
		// the key from which Spring Security's context propagation restores it
		SecurityContext outer = SecurityContextHolder.getContext();
		SecurityContextHolder.setContext(caller);
		try {
			return chain.next(request).contextWrite(Context.of(SecurityContext.class.getName(), caller));
		}
		finally {
			SecurityContextHolder.setContext(outer);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}
}
