package io.leadgraph;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * Fails the build when a feature package reaches into another's internals or when feature packages
 * depend on each other in a cycle (DESIGN.md: dependencies point one way).
 */
class ModularityTest {

	@Test
	void featurePackagesRespectEachOthersBoundaries() {
		ApplicationModules.of(LeadgraphApplication.class).verify();
	}
}
