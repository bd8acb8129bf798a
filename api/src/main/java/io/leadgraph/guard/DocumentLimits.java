package io.leadgraph.guard;

import java.util.List;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Refuses documents too long or with too many tokens before graphql-java parses them: the text is
 * measured, then parsed with the token limit (a document that is merely invalid goes on, for
 * graphql-java to report), and graphql-java parses it with the same limits. Right after the
 * request's charge, so that no other interceptor reads a document past the limits.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class DocumentLimits implements WebGraphQlInterceptor {

	private final QueryLimitSettings limits;

	private final ParserOptions parserOptions;

	DocumentLimits(QueryLimitSettings limits) {
		this.limits = limits;
		this.parserOptions = ParserOptions.getDefaultOperationParserOptions()
			.transform(options -> options.maxCharacters(limits.maxDocumentCharacters())
				.maxTokens(limits.maxTokens())
				.redactTokenParserErrorMessages(true));
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		String document = request.getDocument();
		if (document.length() > limits.maxDocumentCharacters()) {
			return refuse(request, LimitExceeded.error("MAX_DOCUMENT_SIZE_EXCEEDED", "characters",
					limits.maxDocumentCharacters(), document.length()));
		}
		try {
			new Parser().parseDocument(
					ParserEnvironment.newParserEnvironment().document(document).parserOptions(parserOptions).build());
		}
		catch (ParseCancelledTooDeepException tooDeep) {
			return refuse(request, LimitExceeded.moreThan("MAX_DEPTH_EXCEEDED", "levels of nesting", limits.maxDepth()));
		}
		catch (ParseCancelledException tooMany) {
			return refuse(request, LimitExceeded.moreThan("MAX_TOKENS_EXCEEDED", "tokens", limits.maxTokens()));
		}
		catch (InvalidSyntaxException invalid) {
			// graphql-java reports it, as for any invalid document
		}
		request.configureExecutionInput((input, builder) -> {
			input.getGraphQLContext().put(ParserOptions.class, parserOptions);
			return input;
		});
		return chain.next(request);
	}

	private static Mono<WebGraphQlResponse> refuse(WebGraphQlRequest request, GraphQLError error) {
		ExecutionResult result = ExecutionResult.newExecutionResult().errors(List.of(error)).build();
		return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result)));
	}
}
