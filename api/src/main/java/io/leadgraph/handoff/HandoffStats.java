package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.Handoff.RejectionReason;
import io.leadgraph.handoff.Handoff.SlaStatus;

/**
 * What became of the handoffs routed in a window, in total and per group: the feedback marketing
 * uses to tune scoring and routing.
 */
record HandoffStats(Instant from, Instant to, GroupBy groupBy, Row total, List<Row> groups) {

	enum GroupBy {
		SOURCE, CAMPAIGN, RULE, REP, POLICY_VERSION;

		@Nullable String keyOf(Handoff handoff) {
			return switch (this) {
				case SOURCE -> handoff.source();
				case CAMPAIGN -> handoff.campaignId();
				case RULE -> handoff.ruleId();
				case REP -> handoff.repId();
				case POLICY_VERSION -> handoff.policyVersion();
			};
		}
	}

	record ReasonCount(RejectionReason reason, int count) {
	}

	/** The figures of the handoffs routed in the window, in total and grouped, groups with most handoffs first. */
	static HandoffStats of(Instant from, Instant to, GroupBy groupBy, Stream<Handoff> routed) {
		Tally total = new Tally(null);
		Map<Optional<String>, Tally> groups = new HashMap<>();
		routed.forEach(handoff -> {
			total.add(handoff);
			String key = groupBy.keyOf(handoff);
			groups.computeIfAbsent(Optional.ofNullable(key), any -> new Tally(key)).add(handoff);
		});
		List<Row> rows = groups.values()
			.stream()
			.map(Tally::row)
			.sorted(Comparator.comparingInt(Row::assigned)
				.reversed()
				.thenComparing(Row::key, Comparator.nullsLast(Comparator.naturalOrder())))
			.toList();
		return new HandoffStats(from, to, groupBy, total.row(), rows);
	}

	/**
	 * One group's figures.
	 *
	 * @param acceptanceRate accepted ÷ (accepted + rejected); null before any decision
	 * @param slaCompliance handoffs touched in time ÷ those whose SLA is settled (MET or BREACHED)
	 */
	record Row(@Nullable String key, int assigned, int queued, int pending, int accepted, int rejected,
			int reassigned, List<ReasonCount> rejectedByReason, @Nullable Double acceptanceRate,
			@Nullable Double medianSecondsToFirstTouch, @Nullable Double p90SecondsToFirstTouch,
			@Nullable Double medianRoutingMillis, @Nullable Double p90RoutingMillis, @Nullable Double slaCompliance) {
	}

	/** Adds handoffs up into a row. */
	static final class Tally {

		private final @Nullable String key;

		private int assigned;

		private int queued;

		private int pending;

		private int accepted;

		private int rejected;

		private int reassigned;

		private int met;

		private int breached;

		private final Map<RejectionReason, Integer> reasons = new EnumMap<>(RejectionReason.class);

		private long[] touchMillis = new long[16];

		private int touches;

		private long[] routingMillis = new long[16];

		private int routings;

		Tally(@Nullable String key) {
			this.key = key;
		}

		void add(Handoff handoff) {
			assigned++;
			switch (handoff.status()) {
				case QUEUED -> queued++;
				case PENDING -> pending++;
				case ACCEPTED -> accepted++;
				case REJECTED -> {
					rejected++;
					reasons.merge(java.util.Objects.requireNonNull(handoff.rejectionReason()), 1, Integer::sum);
				}
				case REASSIGNED -> reassigned++;
				case CLOSED -> {
				}
			}
			if (handoff.sla() == SlaStatus.MET) {
				met++;
			}
			else if (handoff.sla() == SlaStatus.BREACHED) {
				breached++;
			}
			if (handoff.firstTouchAt() != null) {
				touchMillis = append(touchMillis, touches++,
						Duration.between(handoff.assignedAt(), handoff.firstTouchAt()).toMillis());
			}
			if (handoff.previousHandoffId() == null) {
				routingMillis = append(routingMillis, routings++,
						Duration.between(handoff.qualifiedAt(), handoff.assignedAt()).toMillis());
			}
		}

		Row row() {
			long[] touch = Arrays.copyOf(touchMillis, touches);
			long[] routing = Arrays.copyOf(routingMillis, routings);
			Arrays.sort(touch);
			Arrays.sort(routing);
			List<ReasonCount> byReason = new ArrayList<>();
			reasons.forEach((reason, count) -> byReason.add(new ReasonCount(reason, count)));
			return new Row(key, assigned, queued, pending, accepted, rejected, reassigned, byReason,
					share(accepted, accepted + rejected), seconds(percentile(touch, 50)), seconds(percentile(touch, 90)),
					millis(percentile(routing, 50)), millis(percentile(routing, 90)), share(met, met + breached));
		}

		private static long[] append(long[] values, int at, long value) {
			long[] grown = at == values.length ? Arrays.copyOf(values, values.length * 2) : values;
			grown[at] = value;
			return grown;
		}

		/** Nearest rank: the smallest value with at least {@code p} % of the values at or below it. */
		private static @Nullable Long percentile(long[] sorted, int p) {
			if (sorted.length == 0) {
				return null;
			}
			int rank = (int) Math.ceil(p / 100.0 * sorted.length);
			return sorted[Math.max(0, rank - 1)];
		}

		private static @Nullable Double share(int part, int whole) {
			return whole == 0 ? null : (double) part / whole;
		}

		private static @Nullable Double seconds(@Nullable Long millis) {
			return millis == null ? null : millis / 1000.0;
		}

		private static @Nullable Double millis(@Nullable Long millis) {
			return millis == null ? null : millis.doubleValue();
		}
	}
}
