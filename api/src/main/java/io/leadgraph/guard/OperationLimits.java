package io.leadgraph.guard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.introspection.Introspection;
import graphql.language.Directive;
import graphql.language.Node;
import graphql.language.OperationDefinition.Operation;
import io.micrometer.context.ContextSnapshot;
import org.jspecify.annotations.Nullable;

import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

import org.springframework.graphql.execution.ContextPropagationHelper;
import org.springframework.stereotype.Component;

/**
 * Refuses operations that ask for too much, after validation and before any field is fetched:
 * nesting depth, aliases (fewer for partners), directives, page sizes and cost, each with its code
 * (every limit exceeded is reported at once); then charges the operation's cost to the client's
 * budget ({@link RateLimits}: RATE_LIMITED when it cannot pay) and says in the response's
 * {@code extensions.rateLimit} what is left. Also keeps introspection to admins where configured.
 */
@Component
class OperationLimits implements Instrumentation {

	private final QueryLimitSettings limits;

	private final RateLimitSettings rateLimitSettings;

	private final RateLimits rateLimits;

	OperationLimits(QueryLimitSettings limits, RateLimitSettings rateLimitSettings, RateLimits rateLimits) {
		this.limits = limits;
		this.rateLimitSettings = rateLimitSettings;
		this.rateLimits = rateLimits;
	}

	/** The charge of one execution, for its result's extensions. */
	private static final class Charged implements InstrumentationState {

		volatile RateLimits.@Nullable Charge charge;

		volatile long cost;
	}

	@Override
	public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
		return new Charged();
	}

	@Override
	public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
			InstrumentationState state) {
		if (limits.introspection() == QueryLimitSettings.Introspection.ADMINS
				&& !callerOf(input.getGraphQLContext()).has(Role.ADMIN)) {
			input.getGraphQLContext().put(Introspection.INTROSPECTION_DISABLED, true);
		}
		return input;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		Measure measure = measure(execution);
		List<GraphQLError> errors = new ArrayList<>();
		if (measure.depth > limits.maxDepth()) {
			errors.add(LimitExceeded.error("MAX_DEPTH_EXCEEDED", "levels of nesting", limits.maxDepth(), measure.depth));
		}
		int maxAliases = callerOf(execution.getGraphQLContext()).has(Role.PARTNER) ? limits.maxAliasesForPartners()
				: limits.maxAliases();
		if (measure.aliases > maxAliases) {
			errors.add(LimitExceeded.error("MAX_ALIASES_EXCEEDED", "aliases", maxAliases, measure.aliases));
		}
		long directives = directives(execution.getDocument());
		if (directives > limits.maxDirectives()) {
			errors.add(LimitExceeded.error("MAX_DIRECTIVES_EXCEEDED", "directives", limits.maxDirectives(), directives));
		}
		if (measure.largestPage > limits.maxPageSize()) {
			errors.add(LimitExceeded.error("MAX_PAGE_SIZE_EXCEEDED", "items asked of one page (first/last)",
					limits.maxPageSize(), measure.largestPage));
		}
		if (measure.cost > limits.maxCost()) {
			errors.add(LimitExceeded.error("MAX_COST_EXCEEDED", "cost points", limits.maxCost(), measure.cost));
		}
		if (!errors.isEmpty()) {
			throw new AbortExecutionException(errors);
		}
		if (rateLimitSettings.enabled() && state instanceof Charged charged) {
			RateLimits.Charge charge = rateLimits.charge(callerOf(execution.getGraphQLContext()), measure.cost);
			// a subscription's events would repeat what was left when it started: said on refusal only
			charged.charge = execution.getOperationDefinition().getOperation() == Operation.SUBSCRIPTION ? null : charge;
			charged.cost = measure.cost;
			if (!charge.paid()) {
				throw new AbortExecutionException(List.of(rateLimits.refusal(charge, measure.cost)));
			}
		}
		return SimpleInstrumentationContext.noOp();
	}

	@Override
	public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		if (!(state instanceof Charged charged) || charged.charge == null) {
			return CompletableFuture.completedFuture(result);
		}
		RateLimits.Charge charge = charged.charge;
		Map<Object, Object> extensions = new LinkedHashMap<>(result.getExtensions() == null ? Map.of() : result.getExtensions());
		extensions.put("rateLimit", Map.of("cost", charged.cost, "budget", charge.budget(), "remaining",
				charge.remaining(), "windowSeconds", rateLimitSettings.window().toSeconds()));
		return CompletableFuture.completedFuture(result.transform(builder -> builder.extensions(extensions)));
	}

	/** Depth, aliases, the largest page and the cost, over the operation with its fragments expanded. */
	private Measure measure(ExecutionContext execution) {
		var measure = new Measure();
		Map<QueryVisitorFieldEnvironment, Long> costOfSelections = new HashMap<>();
		QueryTraverser.newQueryTraverser()
			.schema(execution.getGraphQLSchema())
			.document(execution.getDocument())
			.operationName(execution.getExecutionInput().getOperationName())
			.coercedVariables(execution.getCoercedVariables())
			.build()
			.visitPostOrder(new QueryVisitorStub() {

				@Override
				public void visitField(QueryVisitorFieldEnvironment field) {
					if (field.getField().getAlias() != null) {
						measure.aliases++;
					}
					if (field.isTypeNameIntrospectionField() || introspection(field)) {
						return;
					}
					measure.depth = Math.max(measure.depth, depth(field));
					long page = pageSize(field);
					measure.largestPage = Math.max(measure.largestPage, page);
					long own = limits.fieldCosts()
						.getOrDefault(field.getFieldsContainer().getName() + "." + field.getFieldDefinition().getName(), 1L);
					long cost = own + items(field.getArguments()) + Math.max(page, 1) * costOfSelections.getOrDefault(field, 0L);
					QueryVisitorFieldEnvironment parent = field.getParentEnvironment();
					if (parent == null) {
						measure.cost += cost;
					}
					else {
						costOfSelections.merge(parent, cost, Long::sum);
					}
				}
			});
		return measure;
	}

	/** {@code first} or {@code last} as asked; the assumed page when the field pages and neither is given; else 0. */
	private long pageSize(QueryVisitorFieldEnvironment field) {
		long asked = 0;
		boolean pages = false;
		for (String name : List.of("first", "last")) {
			pages |= field.getFieldDefinition().getArgument(name) != null;
			if (field.getArguments().get(name) instanceof Number number) {
				asked = Math.max(asked, number.longValue());
			}
		}
		return asked > 0 || !pages ? asked : limits.assumedPageSize();
	}

	/** The items of every list among the arguments, nested ones included: a batch pays per item. */
	private static long items(@Nullable Object argument) {
		long items = 0;
		if (argument instanceof Map<?, ?> map) {
			for (Object value : map.values()) {
				items += items(value);
			}
		}
		else if (argument instanceof List<?> list) {
			items += list.size();
			for (Object value : list) {
				items += items(value);
			}
		}
		return items;
	}

	private static int depth(QueryVisitorFieldEnvironment field) {
		int depth = 0;
		for (QueryVisitorFieldEnvironment at = field; at != null; at = at.getParentEnvironment()) {
			depth++;
		}
		return depth;
	}

	private static boolean introspection(QueryVisitorFieldEnvironment field) {
		for (QueryVisitorFieldEnvironment at = field; at != null; at = at.getParentEnvironment()) {
			if (at.getField().getName().startsWith("__")) {
				return true;
			}
		}
		return false;
	}

	private static long directives(Node<?> node) {
		long count = node instanceof Directive ? 1 : 0;
		for (Node<?> child : node.getChildren()) {
			count += directives(child);
		}
		return count;
	}

	/**
	 * The caller of the operation: Spring GraphQL keeps the request's context (and with it the
	 * security context) in the GraphQL context; restored here, where graphql-java calls us.
	 */
	private static Caller callerOf(GraphQLContext context) {
		try (ContextSnapshot.Scope scope = ContextPropagationHelper.captureFrom(context).setThreadLocals()) {
			return Caller.current();
		}
		catch (IllegalStateException unauthenticated) {
			return new Caller("anonymous", java.util.Set.of());
		}
	}

	private static final class Measure {

		int depth;

		int aliases;

		long largestPage;

		long cost;
	}
}
