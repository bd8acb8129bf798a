package io.leadgraph.security;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link SecurityIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class SecurityOnRealMongoIT extends SecurityIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
