/**
 * The lead event log: immutable events with a gap-free per-lead {@code seq} and a global position
 * (the cursor). Features write events into an outbox inside their own aggregate, in the same
 * document update as the change; a relay appends them here idempotently. Knows no feature.
 */
@NullMarked
package io.leadgraph.event;

import org.jspecify.annotations.NullMarked;
