package io.leadgraph.touchpoint;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TouchpointJourneyIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class TouchpointJourneyOnRealMongoIT extends TouchpointJourneyIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
