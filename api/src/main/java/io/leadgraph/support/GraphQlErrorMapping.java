package io.leadgraph.support;

import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.schema.DataFetchingEnvironment;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.validation.BindException;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * Turns the exceptions features throw into typed GraphQL errors. Anything not mapped here (or by
 * Spring's security resolver, which yields FORBIDDEN / UNAUTHORIZED) becomes Spring's opaque
 * INTERNAL_ERROR, so no stack trace, class name or store message reaches a client.
 */
@ControllerAdvice
class GraphQlErrorMapping {

	static final ErrorClassification CONFLICT = ErrorClassification.errorClassification("CONFLICT");

	@GraphQlExceptionHandler
	List<GraphQLError> invalidInput(InvalidInputException ex, DataFetchingEnvironment env) {
		return ex.problems()
			.stream()
			.map(problem -> GraphQLError.newError()
				.errorType(ErrorType.BAD_REQUEST)
				.message(problem.field() + ": " + problem.message())
				.path(env.getExecutionStepInfo().getPath())
				.location(env.getField().getSourceLocation())
				.extensions(Map.of("field", problem.field(), "code", problem.code()))
				.build())
			.toList();
	}

	/** Input that passed the schema but does not bind to the argument's type (e.g. a list for an object). */
	@GraphQlExceptionHandler
	List<GraphQLError> unbindable(BindException ex, DataFetchingEnvironment env) {
		String argument = env.getArguments().size() == 1 ? env.getArguments().keySet().iterator().next() : "";
		return ex.getFieldErrors().stream().map(error -> {
			String field = argument.isEmpty() ? error.getField().replaceFirst("^\\$\\.?", "")
					: argument + error.getField().replaceFirst("^\\$", "");
			return GraphQLError.newError()
				.errorType(ErrorType.BAD_REQUEST)
				.message(field + ": has the wrong shape")
				.path(env.getExecutionStepInfo().getPath())
				.location(env.getField().getSourceLocation())
				.extensions(Map.of("field", field, "code", "INVALID_VALUE"))
				.build();
		}).toList();
	}

	/** Writes that kept losing races with other writers of the same record; safe to retry. */
	@GraphQlExceptionHandler
	GraphQLError conflict(OptimisticLockingFailureException ex, DataFetchingEnvironment env) {
		return GraphQLError.newError()
			.errorType(CONFLICT)
			.message("The record changed concurrently too often; retry the request")
			.path(env.getExecutionStepInfo().getPath())
			.location(env.getField().getSourceLocation())
			.build();
	}

	@GraphQlExceptionHandler
	GraphQLError notFound(NotFoundException ex, DataFetchingEnvironment env) {
		return GraphQLError.newError()
			.errorType(ErrorType.NOT_FOUND)
			.message(ex.getMessage())
			.path(env.getExecutionStepInfo().getPath())
			.location(env.getField().getSourceLocation())
			.build();
	}
}
