package io.leadgraph.support;

import java.util.List;
import java.util.Map;

import graphql.GraphQLError;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * Typed errors for failures of a subscription's stream (graphql-ws {@code error}, SSE error event):
 * a refused subscribe, bad arguments, and failures that carry a code of their own
 * ({@link CodedStreamFailure}). Anything else stays Spring's opaque INTERNAL_ERROR.
 */
@Component
class SubscriptionErrorMapping extends SubscriptionExceptionResolverAdapter {

	@Override
	protected List<GraphQLError> resolveToMultipleErrors(Throwable ex) {
		return switch (ex) {
			case AccessDeniedException denied -> List.of(GraphQLError.newError()
				.errorType(ErrorType.FORBIDDEN)
				.message("Forbidden")
				.build());
			case InvalidInputException invalid -> invalid.problems()
				.stream()
				.map(problem -> GraphQLError.newError()
					.errorType(ErrorType.BAD_REQUEST)
					.message(problem.field() + ": " + problem.message())
					.extensions(Map.of("field", problem.field(), "code", problem.code()))
					.build())
				.toList();
			case NotFoundException missing -> List.of(GraphQLError.newError()
				.errorType(ErrorType.NOT_FOUND)
				.message(missing.getMessage())
				.build());
			case CodedStreamFailure failure -> List.of(GraphQLError.newError()
				.errorType(ErrorType.BAD_REQUEST)
				.message(failure.getMessage())
				.extensions(Map.of("code", failure.code()))
				.build());
			default -> null;
		};
	}
}
