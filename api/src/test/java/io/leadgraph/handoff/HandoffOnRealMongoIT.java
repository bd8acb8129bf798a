package io.leadgraph.handoff;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link HandoffIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class HandoffOnRealMongoIT extends HandoffIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
