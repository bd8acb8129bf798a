package io.leadgraph.scoring;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ScoringIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class ScoringOnRealMongoIT extends ScoringIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
