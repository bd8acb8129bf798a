package io.leadgraph.guard;

import java.util.List;
import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import org.jspecify.annotations.Nullable;

/** A response as it was sent before, sent again as it is (its errors read back for the HTTP status). */
record SentResult(Map<String, Object> sent) implements ExecutionResult {

	@Override
	@SuppressWarnings("unchecked")
	public List<GraphQLError> getErrors() {
		if (!(sent.get("errors") instanceof List<?> errors)) {
			return List.of();
		}
		return errors.stream().map(error -> (Map<String, Object>) error).map(error -> GraphQLError.newError()
			.message(String.valueOf(error.get("message")))
			.extensions(error.get("extensions") instanceof Map<?, ?> extensions ? (Map<String, Object>) extensions : Map.of())
			.build()).toList();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getData() {
		return (T) sent.get("data");
	}

	@Override
	public boolean isDataPresent() {
		return sent.containsKey("data");
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable Map<Object, Object> getExtensions() {
		return (Map<Object, Object>) sent.get("extensions");
	}

	@Override
	public Map<String, Object> toSpecification() {
		return sent;
	}
}
