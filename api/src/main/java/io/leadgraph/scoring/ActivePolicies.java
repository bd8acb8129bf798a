package io.leadgraph.scoring;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The active policy, compiled. Versions never change once active, so a compiled policy is kept as
 * long as the pointer names it; each call reads the pointer (one point read), so an activation on
 * any instance takes effect at once everywhere.
 */
@Component
class ActivePolicies {

	private final PolicyStore store;

	private final AtomicReference<@Nullable CompiledPolicy> compiled = new AtomicReference<>();

	ActivePolicies(PolicyStore store) {
		this.store = store;
	}

	@Nullable CompiledPolicy current() {
		ActivePolicy active = store.active();
		if (active == null) {
			return null;
		}
		CompiledPolicy cached = compiled.get();
		if (cached != null && cached.policyId().equals(active.policyId()) && cached.version() == active.version()) {
			return cached;
		}
		CompiledPolicy fresh = compile(active.policyId(), active.version());
		compiled.set(fresh);
		return fresh;
	}

	CompiledPolicy compile(String policyId, int version) {
		ScoringPolicy policy = store.version(policyId, version)
			.orElseThrow(() -> new IllegalStateException("The active policy " + policyId + "@" + version + " is gone"));
		return CompiledPolicy.compile(policyId, version, policy.document());
	}
}
