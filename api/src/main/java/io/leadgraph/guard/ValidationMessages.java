package io.leadgraph.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * graphql-java describes a wrongly typed argument by dumping its syntax tree ("with value
 * 'ObjectValue{objectFields=[ObjectField{…'"), its own class names included; such messages are
 * rewritten to name the argument and what was expected, nothing of the parser's insides.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class ValidationMessages implements WebGraphQlInterceptor {

	private static final Pattern WRONG_VALUE = Pattern.compile(
			"(?s)^(.*?) with value '.*' (is not a valid '[^']*'|contains a field not in '[^']*': '[^']*'"
					+ "|is missing required fields '[^']*'|must not be null)(?: - .*)?$");

	private static final Pattern TREE = Pattern.compile("[A-Z][A-Za-z]*(?:Value|Field)\\{");

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).map(response -> {
			if (response.getExecutionResult().getErrors().stream().noneMatch(error -> leaks(error.getMessage()))) {
				return response;
			}
			List<GraphQLError> errors = response.getExecutionResult()
				.getErrors()
				.stream()
				.map(error -> leaks(error.getMessage()) ? rewritten(error) : error)
				.toList();
			return response.transform(builder -> builder.errors(errors));
		});
	}

	private static boolean leaks(String message) {
		return TREE.matcher(message).find();
	}

	private static GraphQLError rewritten(GraphQLError error) {
		Matcher wrong = WRONG_VALUE.matcher(error.getMessage());
		String message = wrong.matches() ? wrong.group(1) + " " + wrong.group(2)
				: error.getMessage().substring(0, TREE.matcher(error.getMessage()).results().findFirst().orElseThrow().start())
						.replaceAll("[ ,'(\\[]*$", "") + ": invalid value";
		return GraphqlErrorBuilder.newError()
			.message(message)
			.locations(error.getLocations())
			.path(error.getPath())
			.errorType(error.getErrorType())
			.extensions(error.getExtensions())
			.build();
	}
}
