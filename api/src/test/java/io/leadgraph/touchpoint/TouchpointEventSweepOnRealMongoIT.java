package io.leadgraph.touchpoint;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TouchpointEventSweepIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class TouchpointEventSweepOnRealMongoIT extends TouchpointEventSweepIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
