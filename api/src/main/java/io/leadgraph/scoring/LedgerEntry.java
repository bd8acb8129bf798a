package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One line of a score's ledger: a fit rule that matched the lead, an engagement rule that matched a
 * touchpoint, or the correction of a group cap. Points are centi-points (hundredths), so sums are
 * exact.
 *
 * @param fields for {@link EntryKind#FIT} entries the field paths the rule's condition reads, else
 * empty
 * @param rulePoints the rule's points; 0 for corrections
 * @param points what the rule added after its own caps
 * @param decayedPoints what it adds after decay as of the score's time; this is what the ledger sums
 * @param cap the cap that cut the points, if any
 */
record LedgerEntry(EntryKind kind, @Nullable String ruleId, @Nullable String touchpointId,
		@Nullable String touchpointType, @Nullable Instant occurredAt, List<String> fields, long rulePoints,
		long points, long decayedPoints, Cap cap) {

	LedgerEntry {
		fields = List.copyOf(fields);
	}

	/** The correction of a group cap: a negative amount that brings the group down to its maximum. */
	static LedgerEntry correction(EntryKind kind, long amount) {
		return new LedgerEntry(kind, null, null, null, null, List.of(), 0, amount, amount, Cap.GROUP_MAX);
	}

	/** What an entry accounts for. */
	enum EntryKind {

		FIT, FIT_CAP, ENGAGEMENT, ENGAGEMENT_CAP

	}

	/** Which cap cut an entry's points. */
	enum Cap {

		NONE, MAX_PER_DAY, MAX_OCCURRENCES, MAX_POINTS, GROUP_MAX

	}
}
