package io.leadgraph.scoring;

import java.util.Comparator;
import java.util.List;

import io.leadgraph.scoring.LedgerEntry.Cap;
import io.leadgraph.scoring.LedgerEntry.EntryKind;

import static io.leadgraph.scoring.ScoringFixtures.sum;
import static org.assertj.core.api.Assertions.assertThat;

/** What holds for every score sheet, whatever the policy, lead and matches. */
final class LedgerInvariants {

	private LedgerInvariants() {
	}

	static void check(ScoreSheet sheet) {
		List<LedgerEntry> entries = sheet.entries();
		assertThat(sum(entries, EntryKind.values())).as("ledger sum").isEqualTo(sheet.total());
		assertThat(sum(entries, EntryKind.FIT, EntryKind.FIT_CAP)).as("fit").isEqualTo(sheet.fit());
		assertThat(sum(entries, EntryKind.ENGAGEMENT, EntryKind.ENGAGEMENT_CAP)).as("engagement")
			.isEqualTo(sheet.engagement());
		assertThat(sheet.total()).isEqualTo(sheet.fit() + sheet.engagement());

		assertThat(entries).extracting(LedgerEntry::kind).isSortedAccordingTo(Comparator.naturalOrder());
		assertThat(entries).filteredOn(e -> e.kind() == EntryKind.FIT_CAP).hasSizeLessThanOrEqualTo(1);
		assertThat(entries).filteredOn(e -> e.kind() == EntryKind.ENGAGEMENT_CAP).hasSizeLessThanOrEqualTo(1);

		List<LedgerEntry> engagement = entries.stream().filter(e -> e.kind() == EntryKind.ENGAGEMENT).toList();
		assertThat(sheet.retained()).hasSameSizeAs(engagement);
		for (int i = 0; i < engagement.size(); i++) {
			LedgerEntry entry = engagement.get(i);
			Match match = sheet.retained().get(i);
			assertThat(entry.ruleId()).isEqualTo(match.ruleId());
			assertThat(entry.touchpointId()).isEqualTo(match.touchpointId());
			assertThat(entry.touchpointType()).isEqualTo(match.touchpointType());
			assertThat(entry.occurredAt()).isEqualTo(match.occurredAt());
			if (i > 0) {
				LedgerEntry newer = engagement.get(i - 1);
				assertThat(newer.occurredAt()).isAfterOrEqualTo(entry.occurredAt());
			}
		}

		for (LedgerEntry entry : entries) {
			switch (entry.kind()) {
				case FIT -> {
					assertThat(entry.ruleId()).isNotNull();
					assertThat(entry.points()).isEqualTo(entry.rulePoints()).isEqualTo(entry.decayedPoints());
					assertThat(entry.cap()).isEqualTo(Cap.NONE);
					assertThat(entry.touchpointId()).isNull();
				}
				case ENGAGEMENT -> {
					assertThat(entry.ruleId()).isNotNull();
					assertThat(entry.fields()).isEmpty();
					assertThat(Math.abs(entry.points())).isLessThanOrEqualTo(Math.abs(entry.rulePoints()));
					assertThat(entry.points() * entry.rulePoints()).isNotNegative();
					assertThat(Math.abs(entry.decayedPoints())).isLessThanOrEqualTo(Math.abs(entry.points()));
					assertThat(entry.decayedPoints() * entry.points()).isNotNegative();
					if (entry.cap() == Cap.NONE) {
						assertThat(entry.points()).isEqualTo(entry.rulePoints());
					}
					else {
						assertThat(entry.cap()).isNotEqualTo(Cap.GROUP_MAX);
						if (entry.cap() != Cap.MAX_POINTS) {
							assertThat(entry.points()).isZero();
						}
					}
				}
				case FIT_CAP, ENGAGEMENT_CAP -> {
					assertThat(entry.ruleId()).isNull();
					assertThat(entry.touchpointId()).isNull();
					assertThat(entry.occurredAt()).isNull();
					assertThat(entry.rulePoints()).isZero();
					assertThat(entry.points()).isNegative().isEqualTo(entry.decayedPoints());
					assertThat(entry.cap()).isEqualTo(Cap.GROUP_MAX);
				}
			}
		}
	}
}
