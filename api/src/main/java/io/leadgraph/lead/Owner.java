package io.leadgraph.lead;

import org.jspecify.annotations.Nullable;

/**
 * The person responsible for a lead.
 *
 * @param id identity at the identity provider (the token subject)
 * @param name display name
 */
public record Owner(String id, @Nullable String name) {
}
