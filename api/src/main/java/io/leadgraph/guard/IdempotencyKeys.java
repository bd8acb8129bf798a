package io.leadgraph.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.leadgraph.guard.IdempotentRequest.State;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} on mutations over HTTP: the first request with a key runs and its
 * response is stored; a replay gets that response again, unchanged (header
 * {@code Idempotent-Replayed: true}); the key with another document, operation or variables is
 * IDEMPOTENCY_KEY_REUSED (422); a replay while the first still runs is IDEMPOTENCY_KEY_IN_USE (409).
 * Keys are per client and kept {@link #KEEP}. A request refused before it ran (limits, rate limit)
 * stores nothing, so its retry runs; a first request whose instance died is taken over after
 * {@link #TAKE_OVER_AFTER}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class IdempotencyKeys implements WebGraphQlInterceptor {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

	static final String HEADER = "Idempotency-Key";

	static final String REUSED = "IDEMPOTENCY_KEY_REUSED";

	static final String IN_USE = "IDEMPOTENCY_KEY_IN_USE";

	static final String INVALID = "INVALID_IDEMPOTENCY_KEY";

	static final Duration KEEP = Duration.ofHours(24);

	static final Duration TAKE_OVER_AFTER = Duration.ofMinutes(5);

	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

	private final MongoTemplate mongo;

	private final JsonMapper json;

	private final Clock clock;

	IdempotencyKeys(MongoTemplate mongo, JsonMapper json, Clock clock) {
		this.mongo = mongo;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		// on a socket the headers are the upgrade request's, shared by every operation on it
		String key = request instanceof WebSocketGraphQlRequest ? null : request.getHeaders().getFirst(HEADER);
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (key == null || caller == null || !isMutation(request)) {
			return chain.next(request);
		}
		if (!KEY.matcher(key).matches()) {
			return refuse(request, INVALID, "The Idempotency-Key must be 1 to 255 visible ASCII characters");
		}
		String id = caller.getName() + '\u001f' + key;
		String fingerprint = fingerprint(request.getDocument(), request.getOperationName(), request.getVariables());
		Instant now = clock.instant();
		String claim = UUID.randomUUID().toString();
		try {
			mongo.insert(new IdempotentRequest(id, fingerprint, State.RUNNING, null, claim, now, now.plus(KEEP)));
		}
		catch (DuplicateKeyException seen) {
			IdempotentRequest earlier = mongo.findById(id, IdempotentRequest.class);
			if (earlier == null) {
				return intercept(request, chain); // expired meanwhile
			}
			if (!earlier.fingerprint().equals(fingerprint)) {
				return refuse(request, REUSED, "This Idempotency-Key was used for another request");
			}
			if (earlier.state() == State.DONE) {
				return Mono.just(replay(request, earlier));
			}
			if (!takeOver(earlier, claim, now)) {
				return refuse(request, IN_USE, "The request with this Idempotency-Key is still running; retry later");
			}
		}
		return chain.next(request).doOnNext(response -> store(id, claim, response)).doOnError(failed -> release(id, claim));
	}

	/** A RUNNING claim older than {@link #TAKE_OVER_AFTER} belonged to an instance that died. */
	private boolean takeOver(IdempotentRequest earlier, String claim, Instant now) {
		return earlier.claimedAt().plus(TAKE_OVER_AFTER).isBefore(now)
				&& mongo.updateFirst(Query.query(Criteria.where("_id").is(earlier.id())
					.and("state").is(State.RUNNING)
					.and("claim").is(earlier.claim())), new Update().set("claim", claim).set("claimedAt", now),
						IdempotentRequest.class)
					.getModifiedCount() == 1;
	}

	/**
	 * Stores the response under this caller's claim. A request that ran keeps its key even when the
	 * store fails (logged): giving the key back would let a retry run the mutation again.
	 */
	private void store(String id, String claim, WebGraphQlResponse response) {
		if (!response.getExecutionResult().isDataPresent()) {
			release(id, claim); // refused before it ran: nothing happened, a retry may run
			return;
		}
		try {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("claim").is(claim)),
					new Update().set("state", State.DONE).set("response", json.writeValueAsString(response.toMap())),
					IdempotentRequest.class);
		}
		catch (RuntimeException ex) {
			log.warn("The response to idempotency key {} could not be stored; the key stays claimed: {}", id,
					ex.toString());
		}
	}

	private void release(String id, String claim) {
		mongo.remove(Query.query(Criteria.where("_id").is(id).and("claim").is(claim).and("state").is(State.RUNNING)),
				IdempotentRequest.class);
	}

	@SuppressWarnings("unchecked")
	private WebGraphQlResponse replay(WebGraphQlRequest request, IdempotentRequest earlier) {
		Map<String, Object> sent = json.readValue(earlier.response(), LinkedHashMap.class);
		var response = new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
				new SentResult(sent)));
		response.getResponseHeaders().set("Idempotent-Replayed", "true");
		return response;
	}

	private static boolean isMutation(WebGraphQlRequest request) {
		try {
			List<OperationDefinition> operations = Parser.parse(request.getDocument())
				.getDefinitionsOfType(OperationDefinition.class);
			String name = request.getOperationName();
			// as graphql-java picks it: no name (or an empty one) runs the first operation
			return operations.stream()
				.filter(operation -> name == null || name.isEmpty() ? operation == operations.getFirst()
						: name.equals(operation.getName()))
				.anyMatch(operation -> operation.getOperation() == OperationDefinition.Operation.MUTATION);
		}
		catch (InvalidSyntaxException invalid) {
			return false;
		}
	}

	/** A digest of what is asked; variables with their keys sorted, so their order does not matter. */
	String fingerprint(String document, @Nullable String operationName, Map<String, Object> variables) {
		Map<String, Object> asked = new TreeMap<>();
		asked.put("document", document);
		asked.put("operationName", operationName == null ? "" : operationName);
		asked.put("variables", sorted(variables));
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(json.writeValueAsString(asked).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	private static @Nullable Object sorted(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new TreeMap<>();
			map.forEach((key, entry) -> copy.put(String.valueOf(key), sorted(entry)));
			return copy;
		}
		if (value instanceof List<?> list) {
			return list.stream().map(IdempotencyKeys::sorted).toList();
		}
		return value;
	}

	private static Mono<WebGraphQlResponse> refuse(WebGraphQlRequest request, String code, String message) {
		GraphQLError error = GraphQLError.newError()
			.errorType(ErrorType.BAD_REQUEST)
			.message(message)
			.extensions(Map.of("code", code))
			.build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
				ExecutionResult.newExecutionResult().errors(List.of(error)).build())));
	}
}
