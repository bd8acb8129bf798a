package io.leadgraph.event;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.leadgraph.security.Caller;

/**
 * Views of the log for callers who may see only part of it, each shaped by the feature that knows
 * what they may see (partners: their referrals' status changes). Callers whose role reads the whole
 * log never get one; a caller who may subscribe and has none is refused.
 */
public interface PartialEventViews {

	/**
	 * The caller's view for a subscription with that filter, or empty when this provider has none
	 * for the caller. Runs in the caller's request, so it may refuse (access denied, invalid filter).
	 */
	Optional<PartialView> viewFor(Caller caller, EventFilter requested);

	/** One subscription's view: its events are offered in log order, one at a time. */
	interface PartialView {

		/** What to read from the log: at least every event the view may show. */
		EventFilter reads();

		/** The event as the caller sees it, or null when the caller does not see it. */
		@Nullable LeadEvent shown(LeadEvent event);
	}
}
