package io.leadgraph.partner;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ReferralFollowUpIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class ReferralFollowUpOnRealMongoIT extends ReferralFollowUpIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
