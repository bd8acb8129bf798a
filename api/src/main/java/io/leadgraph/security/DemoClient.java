package io.leadgraph.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The clients the dev token issuer knows. Their secret is the client id plus {@code -secret}: they
 * exist only in the dev profile, which refuses to run under {@code prod}.
 */
enum DemoClient {

	ADMIN("demo-admin", Role.ADMIN, null),
	MARKETING("demo-marketing", Role.MARKETING, null),
	SALES("demo-sales", Role.SALES, null),
	PARTNER("demo-partner", Role.PARTNER, "partner-acme"),
	PARTNER_2("demo-partner-2", Role.PARTNER, "partner-globex"),
	AUTOMATION("demo-automation", Role.AUTOMATION, null);

	final String clientId;

	final Role role;

	final @Nullable String partnerId;

	DemoClient(String clientId, Role role, @Nullable String partnerId) {
		this.clientId = clientId;
		this.role = role;
		this.partnerId = partnerId;
	}

	String secret() {
		return clientId + "-secret";
	}

	List<String> roles() {
		return List.of(role.claimValue());
	}

	static @Nullable DemoClient byClientId(String clientId) {
		for (DemoClient client : values()) {
			if (client.clientId.equals(clientId)) {
				return client;
			}
		}
		return null;
	}
}
