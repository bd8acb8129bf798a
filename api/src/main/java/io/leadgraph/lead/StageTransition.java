package io.leadgraph.lead;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** One immutable step of a lead's lifecycle; {@code from} is null for the creation. */
public record StageTransition(@Nullable Stage from, Stage to, Instant at, String actor, @Nullable String reason) {
}
