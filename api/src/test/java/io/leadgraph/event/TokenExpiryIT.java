package io.leadgraph.event;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.IntegrationTest;

import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A subscription ends when its token expires, with a code telling the client to come back with a new one. */
@TestPropertySource(properties = "leadgraph.dev-issuer.token-ttl=PT4S")
class TokenExpiryIT extends IntegrationTest {

	@Test
	void aSubscriptionEndsWithTokenExpiredWhenItsTokenExpires() {
		var socket = LeadEventSubscriptionIT.socket(port, token("demo-sales"));
		try {
			var events = socket.documentName("followLeadEvents").executeSubscription().toFlux();
			long started = System.nanoTime();
			assertThatThrownBy(() -> events.blockLast(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class, expired -> assertThat(expired.getErrors())
					.extracting(error -> error.getExtensions().get("code"))
					.containsExactly("TOKEN_EXPIRED"));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
		}
		finally {
			socket.stop().block(Duration.ofSeconds(5));
		}
	}
}
