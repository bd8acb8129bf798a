package io.leadgraph.handoff;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link HandoffSlaIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class HandoffSlaOnRealMongoIT extends HandoffSlaIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
