package io.leadgraph.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class RolesClaimConverterTest {

	@Test
	void knownRolesBecomeRoleAuthoritiesAndScopesStay() {
		Jwt jwt = jwt(Map.of("roles", List.of("marketing", "superuser"), "scope", "read"));
		assertThat(new RolesClaimConverter("roles").convert(jwt)).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("ROLE_marketing", "SCOPE_read");
	}

	@Test
	void rolesMayBeNestedAsInKeycloak() {
		Jwt jwt = jwt(Map.of("realm_access", Map.of("roles", List.of("sales", "offline_access"))));
		assertThat(new RolesClaimConverter("realm_access.roles").convert(jwt))
			.extracting(GrantedAuthority::getAuthority)
			.containsExactly("ROLE_sales");
	}

	@Test
	void aMissingOrMalformedClaimGrantsNothing() {
		assertThat(new RolesClaimConverter("roles").convert(jwt(Map.of("roles", "admin")))).isEmpty();
		assertThat(new RolesClaimConverter("a.b").convert(jwt(Map.of("a", "admin")))).isEmpty();
	}

	private static Jwt jwt(Map<String, Object> claims) {
		return Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.subject("client")
			.issuedAt(Instant.now())
			.claims(all -> all.putAll(claims))
			.build();
	}
}
