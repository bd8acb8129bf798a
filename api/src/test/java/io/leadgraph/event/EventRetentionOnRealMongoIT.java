package io.leadgraph.event;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link EventRetentionIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class EventRetentionOnRealMongoIT extends EventRetentionIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
