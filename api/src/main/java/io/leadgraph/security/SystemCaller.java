package io.leadgraph.security;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Runs background work (sweeps, demo data) as a named system actor with the admin role, so the
 * services' role checks and actor records apply to it as to any caller.
 */
public final class SystemCaller {

	private SystemCaller() {
	}

	/** @param actor recorded as the actor of what the work changes, e.g. {@code system:demo-data} */
	public static <T> T runAs(String actor, Supplier<T> work) {
		var previous = SecurityContextHolder.getContext();
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(actor, null,
				List.of(new SimpleGrantedAuthority(Role.ADMIN.authority()))));
		SecurityContextHolder.setContext(context);
		try {
			return work.get();
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

	public static void runAs(String actor, Runnable work) {
		runAs(actor, () -> {
			work.run();
			return null;
		});
	}
}
