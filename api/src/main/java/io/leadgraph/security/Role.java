package io.leadgraph.security;

import java.util.Locale;

/**
 * The roles a token can carry (claim {@code leadgraph.security.roles-claim}, default {@code roles}).
 * Granted authorities are {@code ROLE_<name>}, so services check {@code hasRole('marketing')}.
 */
public enum Role {

	ADMIN, MARKETING, SALES, PARTNER, AUTOMATION;

	/** The name as it appears in tokens and in {@code hasRole(...)}. */
	public String claimValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	public String authority() {
		return "ROLE_" + claimValue();
	}
}
