package io.leadgraph.scoring;

import java.time.Instant;

/**
 * One engagement rule matching one touchpoint: what a lead's score is computed from, and what is
 * kept to score it again incrementally.
 *
 * @param rulePoints the rule's points (whole points) when it matched; informational, scoring uses
 * the policy's current points
 */
record Match(String ruleId, String touchpointId, String touchpointType, Instant occurredAt, int rulePoints) {
}
