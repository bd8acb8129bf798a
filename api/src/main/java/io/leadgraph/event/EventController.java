package io.leadgraph.event;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;

@Controller
class EventController {

	private static final String POSITION = "position";

	private final EventLog log;

	private final EventSubscriptions subscriptions;

	private final Pages pages;

	EventController(EventLog log, EventSubscriptions subscriptions, Pages pages) {
		this.log = log;
		this.subscriptions = subscriptions;
		this.pages = pages;
	}

	@QueryMapping
	Window<LeadEvent> leadEvents(@Argument @Nullable String after, @Argument @Nullable EventFilter filter,
			@Argument @Nullable Integer first) {
		int limit = first == null ? 50 : first;
		if (limit < 1 || limit > EventLog.MAX_PAGE) {
			throw new InvalidInputException("first", "OUT_OF_RANGE", "must be between 1 and " + EventLog.MAX_PAGE);
		}
		List<LeadEvent> events = log.readAfter(afterPosition(after),
				filter == null ? new EventFilter(null, null) : filter, limit);
		boolean hasNext = events.size() > limit;
		List<LeadEvent> page = hasNext ? events.subList(0, limit) : events;
		return Window.from(page, i -> ScrollPosition.forward(Map.of(POSITION, page.get(i).position())), hasNext);
	}

	@SubscriptionMapping("leadEvents")
	Flux<LeadEvent> followLeadEvents(@Argument @Nullable EventFilter filter, @Argument @Nullable String after) {
		return subscriptions.follow(after == null ? null : afterPosition(after),
				filter == null ? new EventFilter(null, null) : filter);
	}

	@SchemaMapping
	String cursor(LeadEvent event) {
		return pages.cursor(Map.of(POSITION, event.position()));
	}

	private long afterPosition(@Nullable String after) {
		Object position = pages.keys("after", after).get(POSITION);
		if (after == null) {
			return 0;
		}
		if (position instanceof Number number) {
			return number.longValue();
		}
		throw new InvalidInputException("after", "INVALID_CURSOR", "is not a cursor of the event log");
	}
}
