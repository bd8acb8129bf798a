package io.leadgraph.webhook;

import io.leadgraph.support.RealMongo;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link WebhookIT} against a real MongoDB; skipped when there is none (see {@link RealMongo}). */
@RealMongo.Required
class WebhookOnRealMongoIT extends WebhookIT {

	@DynamicPropertySource
	static void realMongo(DynamicPropertyRegistry registry) {
		RealMongo.register(registry);
	}
}
