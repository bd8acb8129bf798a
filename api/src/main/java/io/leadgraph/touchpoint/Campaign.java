package io.leadgraph.touchpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A marketing campaign as the sending system names it. Stored as {@code campaign.id}: without the
 * explicit name the mapping would take {@code id} for a document id and store it as {@code _id}.
 */
public record Campaign(@Field("id") String id, @Nullable String name) {
}
