package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

/**
 * A lead's score under one policy as of a time, with the ledger that adds up to it. Points are
 * centi-points: {@code total == fit + engagement}, and the entries' decayed points sum to the total
 * (fit and fit-cap entries to {@code fit}, engagement and engagement-cap entries to
 * {@code engagement}).
 *
 * @param retained the matches to keep for scoring the lead again later, in the order of the
 * engagement entries (one entry each)
 */
record ScoreSheet(long fit, long engagement, long total, Grade grade, boolean qualifies, Instant asOf,
		List<LedgerEntry> entries, List<Match> retained) {

	ScoreSheet {
		entries = List.copyOf(entries);
		retained = List.copyOf(retained);
	}
}
