package io.leadgraph.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Subscriptions to the log: a replay from a cursor that hands over to the live stream without a gap
 * or a repeat. The replay reads the log in pages up to where the live stream has got; once a page
 * comes back short, the subscriber joins the live stream (which buffers for it from that moment),
 * reads the few events written in between from the log, then takes the live events.
 */
@Service
class EventSubscriptions {

	private static final int PAGE = 500;

	private final EventReads reads;

	private final LiveEvents live;

	EventSubscriptions(EventReads reads, LiveEvents live) {
		this.reads = reads;
		this.live = live;
	}

	/** Events after {@code after} (from now on when null), matching the filter, as long as the subscriber stays. */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	Flux<LeadEvent> follow(@Nullable Long after, EventFilter filter) {
		if (after != null) {
			reads.requireRetained(after);
		}
		Predicate<LeadEvent> visible = visibleTo(Caller.current());
		Predicate<LeadEvent> wanted = visible.and(filter::matches);
		return Flux.defer(() -> {
			// "from now" is the end of the log, which this instance's live stream may not have reached
			var read = new AtomicLong(after == null ? reads.lastPosition() : after);
			var caughtUp = new AtomicBoolean();
			Flux<LeadEvent> past = Flux.<List<LeadEvent>>generate(sink -> {
				@Nullable List<LeadEvent> page = caughtUp.get() ? null : catchUp(read, caughtUp, filter);
				if (page == null) {
					sink.complete();
				}
				else {
					sink.next(page);
				}
			}).concatMapIterable(page -> page);
			Flux<LeadEvent> handover = Flux.defer(() -> {
				var follower = new Follower(wanted);
				long joinedAt = live.join(follower);
				long replayed = read.get();
				return Flux.fromIterable(allBetween(replayed, joinedAt, filter))
					.concatWith(follower.events().filter(event -> event.position() > replayed))
					.doFinally(signal -> live.leave(follower));
			});
			return past.concatWith(handover).filter(visible).subscribeOn(Schedulers.boundedElastic());
		});
	}

	/**
	 * The next page of the replay, up to where the live stream has got; a short page means the replay
	 * has caught up, and the handover reads whatever came after.
	 */
	private List<LeadEvent> catchUp(AtomicLong read, AtomicBoolean caughtUp, EventFilter filter) {
		long upTo = live.position();
		// a long replay can fall behind retention: a hole is an error, never a silent skip
		reads.requireRetained(read.get());
		List<LeadEvent> page = reads.between(read.get(), upTo, filter, PAGE);
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
			events.addAll(page);
			read = page.isEmpty() ? read : page.getLast().position();
		}
		while (page.size() == PAGE);
		return events;
	}

	/** Checked for every event delivered, not only at subscribe time. */
	private static Predicate<LeadEvent> visibleTo(Caller caller) {
		return event -> caller.has(Role.ADMIN) || caller.has(Role.MARKETING) || caller.has(Role.SALES);
	}
}
