package io.leadgraph.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadScore;
import io.leadgraph.lead.ScoreUpdate;
import io.leadgraph.lead.Stage;
import io.leadgraph.scoring.LeadScorer.Scored;

/**
 * What a computed score means for its lead: the score it shows, whether the change is an event,
 * and whether it sends the lead to MQL, with the reason.
 */
final class ScoreUpdates {

	private ScoreUpdates() {
	}

	static ScoreUpdate of(CompiledPolicy policy, Scored scored) {
		ScoreSheet sheet = scored.sheet();
		LeadScore previous = scored.scoreAsRead();
		LeadScore next = new LeadScore(points(sheet.total()), points(sheet.fit()), points(sheet.engagement()),
				sheet.grade().name(), policy.policyId(), policy.version(), sheet.asOf(), sheet.qualifies());
		boolean crossed = crossed(scored.stageAsRead(), previous, next);
		return new ScoreUpdate(scored.lead(), next, worthAnEvent(previous, next) ? change(previous, next) : null,
				crossed, reason(policy, sheet), crossed ? trigger(sheet) : null);
	}

	/**
	 * Whether the score crossed the MQL threshold upwards for a lead marketing may still qualify. A NEW
	 * lead crosses with its first qualifying score; a lead sales sent back (RECYCLED) only when it
	 * was below the threshold under the same version and now is above: a new version, or a score that
	 * merely stayed above, does not send it back to sales.
	 */
	private static boolean crossed(Stage stage, @Nullable LeadScore previous, LeadScore next) {
		if (!next.qualified()) {
			return false;
		}
		return switch (stage) {
			case NEW -> previous == null || !previous.qualified();
			case RECYCLED -> previous != null && !previous.qualified() && previous.policyId().equals(next.policyId())
					&& previous.policyVersion() == next.policyVersion();
			default -> false;
		};
	}

	/**
	 * A change is an event when the policy, the grade or the qualification changes, or a score rounds to
	 * another whole number: decay drifts scores a little every day, and that alone is not news.
	 */
	private static boolean worthAnEvent(@Nullable LeadScore previous, LeadScore next) {
		return previous == null || !previous.policyId().equals(next.policyId())
				|| previous.policyVersion() != next.policyVersion() || !previous.grade().equals(next.grade())
				|| previous.qualified() != next.qualified() || Math.round(previous.total()) != Math.round(next.total())
				|| Math.round(previous.fit()) != Math.round(next.fit())
				|| Math.round(previous.engagement()) != Math.round(next.engagement());
	}

	private static Map<String, Object> change(@Nullable LeadScore previous, LeadScore next) {
		Map<String, Object> payload = summary(next);
		payload.put("previous", previous == null ? null : summary(previous));
		return payload;
	}

	private static Map<String, Object> summary(LeadScore score) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("total", score.total());
		summary.put("fit", score.fit());
		summary.put("engagement", score.engagement());
		summary.put("grade", score.grade());
		summary.put("qualified", score.qualified());
		summary.put("policyId", score.policyId());
		summary.put("policyVersion", score.policyVersion());
		return summary;
	}

	/** The touchpoint that last added engagement points: what routing and reports name as the cause. */
	private static @Nullable Map<String, Object> trigger(ScoreSheet sheet) {
		return sheet.entries()
			.stream()
			.filter(entry -> entry.kind() == LedgerEntry.EntryKind.ENGAGEMENT && entry.points() > 0
					&& entry.touchpointId() != null && entry.occurredAt() != null)
			.max(java.util.Comparator.comparing(LedgerEntry::occurredAt))
			.map(entry -> {
				Map<String, Object> trigger = new LinkedHashMap<>();
				trigger.put("touchpointId", entry.touchpointId());
				trigger.put("type", entry.touchpointType());
				trigger.put("occurredAt", String.valueOf(entry.occurredAt()));
				return trigger;
			})
			.orElse(null);
	}

	private static String reason(CompiledPolicy policy, ScoreSheet sheet) {
		var threshold = policy.document().mqlThreshold();
		List<String> parts = new ArrayList<>();
		if (threshold.total() != null) {
			parts.add("total " + format(sheet.total()) + " ≥ " + threshold.total());
		}
		if (threshold.fit() != null) {
			parts.add("fit " + format(sheet.fit()) + " ≥ " + threshold.fit());
		}
		if (threshold.engagement() != null) {
			parts.add("engagement " + format(sheet.engagement()) + " ≥ " + threshold.engagement());
		}
		return "Scoring policy " + policy.policyId() + " v" + policy.version() + ": " + String.join(", ", parts);
	}

	static double points(long centiPoints) {
		return centiPoints / 100.0;
	}

	private static String format(long centiPoints) {
		return String.format(Locale.ROOT, "%.2f", centiPoints / 100.0);
	}
}
