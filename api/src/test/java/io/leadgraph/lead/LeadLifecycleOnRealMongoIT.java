package io.leadgraph.lead;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link LeadLifecycleIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class LeadLifecycleOnRealMongoIT extends LeadLifecycleIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
