package io.leadgraph.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.leadgraph.event.PartialEventViews.PartialView;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Subscriptions to the log: a replay from a cursor that hands over to the live stream without a gap
 * or a repeat. The replay reads the log in pages up to where the live stream has got; once a page
 * comes back short, the subscriber joins the live stream (which buffers for it from that moment),
 * reads the few events written in between from the log, then takes the live events. A stream ends
 * when the caller's token expires (TOKEN_EXPIRED): the client resubscribes with a fresh token from
 * its last cursor.
 */
@Service
class EventSubscriptions {

	private static final int PAGE = 500;

	private static final int HANDOFF_PREFETCH = 32;

	private final EventReads reads;

	private final LiveEvents live;

	private final List<PartialEventViews> partialViews;

	EventSubscriptions(EventReads reads, LiveEvents live, List<PartialEventViews> partialViews) {
		this.reads = reads;
		this.live = live;
		this.partialViews = partialViews;
	}

	/**
	 * Events after {@code after} (from now on when null), matching the filter, as long as the
	 * subscriber stays; callers who may see only part of the log get their view of it.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales', 'automation', 'partner')")
	Flux<LeadEvent> follow(@Nullable Long after, EventFilter filter) {
		PartialView view = viewFor(Caller.current(), filter);
		EventFilter reading = view.reads();
		@Nullable Instant expiresAt = Caller.tokenExpiresAt();
		if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
			throw new TokenExpiredException();
		}
		Flux<LeadEvent> events = Flux.defer(() -> {
			if (after != null) {
				reads.requireRetained(after);
			}
			// "from now" is the end of the log, which this instance's live stream may not have reached
			var read = new AtomicLong(after == null ? reads.lastPosition() : after);
			var caughtUp = new AtomicBoolean();
			Flux<LeadEvent> past = Flux.<List<LeadEvent>>generate(sink -> {
				@Nullable List<LeadEvent> page = caughtUp.get() ? null : catchUp(read, caughtUp, reading);
				if (page == null) {
					sink.complete();
				}
				else {
					sink.next(page);
				}
			}).concatMapIterable(page -> page, 1);
			return past.concatWith(Flux.defer(() -> handover(read.get(), reading))).mapNotNull(view::shown);
		}).subscribeOn(Schedulers.boundedElastic());
		if (expiresAt == null) {
			return events;
		}
		return events.take(Duration.between(Instant.now(), expiresAt))
			.concatWith(Flux.error(TokenExpiredException::new));
	}

	/** Joins the live stream, reads what was written since {@code replayed} up to the join from the log. */
	private Flux<LeadEvent> handover(long replayed, EventFilter filter) {
		var follower = new Follower(filter::matches);
		long joinedAt = live.join(follower);
		List<LeadEvent> between;
		try {
			between = allBetween(replayed, joinedAt, filter);
		}
		catch (RuntimeException ex) {
			live.leave(follower);
			throw ex;
		}
		return Flux.fromIterable(between)
			// each subscriber's GraphQL execution and socket write run off the one live reader thread, so
			// a subscriber that does not read fills only its own buffer
			.concatWith(follower.events()
				.publishOn(Schedulers.boundedElastic(), HANDOFF_PREFETCH)
				.filter(event -> event.position() > replayed))
			.doFinally(signal -> live.leave(follower));
	}

	/**
	 * The next page of the replay, up to where the live stream has got; a short page means the replay
	 * has caught up, and the handover reads whatever came after.
	 */
	private List<LeadEvent> catchUp(AtomicLong read, AtomicBoolean caughtUp, EventFilter filter) {
		long upTo = live.position();
		List<LeadEvent> page = reads.between(read.get(), upTo, filter, PAGE);
		// checked after reading: retention marks before it deletes, so a page read with a hole fails here
		reads.requireRetained(read.get());
		caughtUp.set(page.size() < PAGE);
		read.set(page.size() < PAGE ? Math.max(read.get(), upTo) : page.getLast().position());
		return page;
	}

	private List<LeadEvent> allBetween(long after, long upTo, EventFilter filter) {
		List<LeadEvent> events = new ArrayList<>();
		long read = after;
		List<LeadEvent> page;
		do {
			page = read < upTo ? reads.between(read, upTo, filter, PAGE) : List.of();
			reads.requireRetained(read);
			events.addAll(page);
			read = page.isEmpty() ? read : page.getLast().position();
		}
		while (page.size() == PAGE);
		return events;
	}

	/** The whole log for the roles that read it; else the view a feature gives the caller, else refused. */
	private PartialView viewFor(Caller caller, EventFilter filter) {
		if (caller.has(Role.ADMIN) || caller.has(Role.MARKETING) || caller.has(Role.SALES) || caller.has(Role.AUTOMATION)) {
			return new WholeLog(filter);
		}
		return partialViews.stream()
			.flatMap(views -> views.viewFor(caller, filter).stream())
			.findFirst()
			.orElseThrow(() -> new AccessDeniedException("No view of the log for this caller"));
	}

	private record WholeLog(EventFilter reads) implements PartialView {

		@Override
		public LeadEvent shown(LeadEvent event) {
			return event;
		}
	}
}
