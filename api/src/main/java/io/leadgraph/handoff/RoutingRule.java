package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.scoring.PolicyDocument.Condition;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A routing rule: MQLs whose lead matches {@code when} go to a rep of the pool, chosen by the
 * strategy. Rules are tried by ascending {@code position}; a matching rule whose pool has nobody
 * available passes the lead on to the next matching rule, and when none is left the lead waits in
 * the fallback queue.
 *
 * @param when a condition on lead fields (as scoring's fit rules write them); null matches every lead
 * @param pool rep ids, in the order round robin visits them
 * @param responseWindowSeconds the rep's time to first touch, in their working time
 * @param reassignOnBreach whether a breached handoff goes to the next rep of the pool
 */
@Document("routing_rules")
public record RoutingRule(@Id String id, String name, @Indexed(name = "position") int position, @Nullable Condition when, List<String> pool,
		Strategy strategy, long responseWindowSeconds, boolean reassignOnBreach, boolean active, Instant createdAt,
		Instant updatedAt) {

	Duration responseWindow() {
		return Duration.ofSeconds(responseWindowSeconds);
	}

	/** How a rule picks among the available reps of its pool. */
	public enum Strategy {
		/** Each rep in turn. */
		ROUND_ROBIN,
		/** In turn, each rep as often as their weight says (exactly, over each cycle of the weights' sum). */
		WEIGHTED,
		/** The rep with the fewest PENDING handoffs; ties in turn. */
		LEAST_LOADED
	}
}
