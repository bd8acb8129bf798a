package io.leadgraph.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller of the current request, as features need it: an actor name for history
 * and events, and the roles for rules finer than {@code @PreAuthorize} (e.g. who owns which stage).
 *
 * @param actor the token subject (for client credentials, the client id)
 * @param roles the Leadgraph roles the token carries
 */
public record Caller(String actor, Set<Role> roles) {

	public boolean has(Role role) {
		return roles.contains(role);
	}

	/** When the current request's token expires; null when it does not say. */
	public static @Nullable Instant tokenExpiresAt() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? jwt.getExpiresAt() : null;
	}

	/** The {@code partner_id} claim of the current request's token; null when it has none. */
	public static @Nullable String partnerId() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof Jwt jwt
				? jwt.getClaimAsString("partner_id") : null;
	}

	/** The caller of the current request; fails when there is none (a programming error). */
	public static Caller current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			throw new IllegalStateException("No authenticated caller");
		}
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (var granted : authentication.getAuthorities()) {
			for (Role role : Role.values()) {
				if (role.authority().equals(granted.getAuthority())) {
					roles.add(role);
				}
			}
		}
		String actor = authentication.getPrincipal() instanceof Jwt jwt && jwt.getSubject() != null ? jwt.getSubject()
				: authentication.getName();
		return new Caller(actor, Set.copyOf(roles));
	}
}
