/**
 * Leads and their lifecycle: capture, partial updates, deduplication by normalised email, the stage
 * state machine with its history, filtering and paging. Writes its events into the lead's outbox and
 * relays them to the {@code event} log. Knows no other feature.
 */
@NullMarked
package io.leadgraph.lead;

import org.jspecify.annotations.NullMarked;
