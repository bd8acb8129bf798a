package io.leadgraph.event;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TwoInstancesIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class TwoInstancesOnRealMongoIT extends TwoInstancesIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
