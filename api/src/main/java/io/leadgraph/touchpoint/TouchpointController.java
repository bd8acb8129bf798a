package io.leadgraph.touchpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.dataloader.DataLoader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.leadgraph.lead.Lead;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.Pages;
import io.leadgraph.touchpoint.TouchpointInputs.RecordTouchpointsInput;
import io.leadgraph.touchpoint.TouchpointInputs.TouchpointFilter;
import io.leadgraph.touchpoint.TouchpointReads.PageKey;
import io.leadgraph.touchpoint.TouchpointResult.RecordTouchpointsPayload;

import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

@Controller
class TouchpointController {

	private static final int DEFAULT_PAGE = 20;

	private static final int MAX_PAGE = 100;

	private static final Set<String> CURSOR_KEYS = Set.of(TouchpointReads.OCCURRED_AT, TouchpointReads.ID);

	private final TouchpointService touchpoints;

	private final TouchpointReads reads;

	private final Pages pages;

	TouchpointController(TouchpointService touchpoints, TouchpointReads reads, Pages pages,
			BatchLoaderRegistry loaders) {
		this.touchpoints = touchpoints;
		this.reads = reads;
		this.pages = pages;
		loaders.<PageKey, Window<Touchpoint>>forName("leadTouchpoints")
			.registerMappedBatchLoader((keys, env) -> Mono.fromCallable(() -> reads.pages(keys)));
	}

	@MutationMapping
	RecordTouchpointsPayload recordTouchpoints(@Argument RecordTouchpointsInput input) {
		return touchpoints.record(input);
	}

	@SchemaMapping(typeName = "Lead")
	CompletableFuture<Window<Touchpoint>> touchpoints(Lead lead, @Argument @Nullable Integer first,
			@Argument @Nullable String after, @Argument @Nullable TouchpointFilter filter,
			DataLoader<PageKey, Window<Touchpoint>> leadTouchpoints) {
		int size = first == null ? DEFAULT_PAGE : first;
		if (size < 1 || size > MAX_PAGE) {
			throw new InvalidInputException("first", "OUT_OF_RANGE", "must be between 1 and " + MAX_PAGE);
		}
		Map<String, Object> position = pages.keys("after", after);
		if (after != null && !position.keySet().equals(CURSOR_KEYS)) {
			throw new InvalidInputException("after", "INVALID_CURSOR", "is not a cursor of touchpoints");
		}
		return leadTouchpoints.load(new PageKey(lead.id(), size, after == null ? null : position, filter));
	}

	@BatchMapping(typeName = "Lead")
	Map<Lead, Engagement> engagement(List<Lead> leads) {
		Map<String, Engagement> byId = reads.engagement(leads.stream().map(Lead::id).distinct().toList());
		return leads.stream().distinct().collect(Collectors.toMap(Function.identity(), lead -> byId.get(lead.id())));
	}
}
