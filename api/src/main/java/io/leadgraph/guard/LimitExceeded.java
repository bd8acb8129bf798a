package io.leadgraph.guard;

import java.util.Map;

import graphql.GraphQLError;

import org.springframework.graphql.execution.ErrorType;

/** The error a refused document gets: BAD_REQUEST, a stable code, the limit and what was asked. */
final class LimitExceeded {

	private LimitExceeded() {
	}

	/** {@code actual} of {@code what} where at most {@code limit} are allowed. */
	static GraphQLError error(String code, String what, long limit, long actual) {
		return error(code, "The document has " + actual + " " + what + "; at most " + limit + " are allowed",
				Map.of("code", code, "limit", limit, "actual", actual));
	}

	/** More than {@code limit} of {@code what}: counting stopped there. */
	static GraphQLError moreThan(String code, String what, long limit) {
		return error(code, "The document has more than " + limit + " " + what + ", the most allowed",
				Map.of("code", code, "limit", limit));
	}

	private static GraphQLError error(String code, String message, Map<String, Object> extensions) {
		return GraphQLError.newError().errorType(ErrorType.BAD_REQUEST).message(message).extensions(extensions).build();
	}
}
