package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.LedgerEntry.Cap;
import io.leadgraph.scoring.LedgerEntry.EntryKind;

/** A ledger entry as the API shows it: points with two decimals, and the policy that made it. */
record LedgerEntryView(EntryKind kind, @Nullable String ruleId, @Nullable String touchpointId,
		@Nullable String touchpointType, @Nullable Instant occurredAt, List<String> fields, double rulePoints,
		double points, double decayedPoints, Cap cap, String policyId, int policyVersion) {

	static LedgerEntryView of(LeadLedger ledger, LedgerEntry entry) {
		return new LedgerEntryView(entry.kind(), entry.ruleId(), entry.touchpointId(), entry.touchpointType(),
				entry.occurredAt(), entry.fields(), ScoreUpdates.points(entry.rulePoints()),
				ScoreUpdates.points(entry.points()), ScoreUpdates.points(entry.decayedPoints()), entry.cap(),
				ledger.policyId(), ledger.policyVersion());
	}
}
