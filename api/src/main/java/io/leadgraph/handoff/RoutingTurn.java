package io.leadgraph.handoff;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The next turn of a routing rule. Turns are taken by compare-and-set, so each is handed out once
 * however many instances route at the same time.
 */
@Document("routing_turns")
record RoutingTurn(@Id String ruleId, long next) {
}
