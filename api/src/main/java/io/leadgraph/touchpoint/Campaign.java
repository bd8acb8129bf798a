package io.leadgraph.touchpoint;

import org.jspecify.annotations.Nullable;

/** A marketing campaign as the sending system names it. */
public record Campaign(String id, @Nullable String name) {
}
