package io.leadgraph.lead;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RecordedEventsConcurrencyIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class RecordedEventsConcurrencyOnRealMongoIT extends RecordedEventsConcurrencyIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
