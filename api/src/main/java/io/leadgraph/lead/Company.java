package io.leadgraph.lead;

import org.jspecify.annotations.Nullable;

/**
 * Firmographics of a lead, normalised: domain lower case without {@code www.}, country ISO 3166-1
 * alpha-2 upper case.
 */
public record Company(@Nullable String name, @Nullable String domain, @Nullable Integer employees,
		@Nullable String industry, @Nullable String country) {

	static final Company EMPTY = new Company(null, null, null, null, null);

	boolean isEmpty() {
		return equals(EMPTY);
	}
}
