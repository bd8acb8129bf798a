package io.leadgraph.scoring;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.LedgerEntry.EntryKind;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The explanation of a lead's score: every entry the score sums, under one policy version and as of
 * one time. It also holds what later touchpoints are scored against (the engagement matches that
 * count), so scoring a new touchpoint reads this one document, not the lead's whole history.
 *
 * @param stamp identifies the write, to tell which of two racing writers won
 */
@Document("score_ledgers")
record LeadLedger(@Id String leadId, String policyId, int policyVersion, Instant computedAt, long fit,
		long engagement, long total, Grade grade, boolean qualifies, List<LedgerEntry> entries, String stamp,
		@Version @Nullable Long revision) {

	boolean isUnder(CompiledPolicy policy) {
		return policyId.equals(policy.policyId()) && policyVersion == policy.version();
	}

	/** The engagement matches that count in later scores. */
	List<Match> retained() {
		return entries.stream()
			.filter(entry -> entry.kind() == EntryKind.ENGAGEMENT)
			.map(entry -> new Match(entry.ruleId(), entry.touchpointId(), entry.touchpointType(), entry.occurredAt(),
					(int) (entry.rulePoints() / 100)))
			.toList();
	}
}
