package io.leadgraph.support;

import java.util.List;
import java.util.Map;

import graphql.GraphQLError;
import graphql.schema.DataFetchingEnvironment;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * Turns the exceptions features throw into typed GraphQL errors. Anything not mapped here (or by
 * Spring's security resolver, which yields FORBIDDEN / UNAUTHORIZED) becomes Spring's opaque
 * INTERNAL_ERROR, so no stack trace, class name or store message reaches a client.
 */
@ControllerAdvice
class GraphQlErrorMapping {

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
