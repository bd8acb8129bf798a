package io.leadgraph.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * Reads Leadgraph roles from a configurable claim, which may be nested (Keycloak puts realm roles
 * in {@code realm_access.roles}), and keeps the standard {@code SCOPE_} authorities as well.
 * Unknown role names are ignored rather than granted.
 */
final class RolesClaimConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

	private final String[] claimPath;

	private final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();

	RolesClaimConverter(String claim) {
		this.claimPath = claim.split("\\.");
	}

	@Override
	public Collection<GrantedAuthority> convert(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
		Object value = jwt.getClaims();
		for (String part : claimPath) {
			value = value instanceof Map<?, ?> map ? map.get(part) : null;
		}
		if (value instanceof Collection<?> names) {
			for (Object name : names) {
				for (Role role : Role.values()) {
					if (role.claimValue().equals(name)) {
						authorities.add(new SimpleGrantedAuthority(role.authority()));
					}
				}
			}
		}
		return authorities;
	}
}
