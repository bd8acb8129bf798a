package io.leadgraph.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.IntegrationTest;
import io.leadgraph.support.RawGraphQlSocket;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A subscription ends when its token expires, with a code telling the client to come back with a new one. */
@TestPropertySource(properties = "leadgraph.dev-issuer.token-ttl=PT4S")
class TokenExpiryIT extends IntegrationTest {

	@Autowired
	MongoTemplate mongo;

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

	@Test
	void theSocketClosesWith4403OneSecondAfterItsTokenExpires() throws Exception {
		String token = tokenFrom(port, "demo-sales");
		Instant expiresAt = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
		var socket = RawGraphQlSocket.initialised(port, token);
		socket.send("""
				{"id":"1","type":"subscribe","payload":{"query":"subscription { leadEvents { eventId } }"}}""");

		assertThat(socket.nextMessage()).contains("\"error\"", "TOKEN_EXPIRED");
		assertThat(socket.closeCode(Duration.ofSeconds(15))).isEqualTo(4403);
		// within the 60 s clock skew the token validator allows, and never before the token expired
		assertThat(Instant.now()).isBetween(expiresAt, expiresAt.plusSeconds(3));

		var again = RawGraphQlSocket.open(port);
		again.send(RawGraphQlSocket.connectionInit(token));
		assertThat(again.closeCode()).as("an expired token, though within the skew, is refused").isEqualTo(4403);
		assertThat(again.received()).isEmpty();
	}

	@Test
	void followingAScoringJobEndsWithTokenExpiredToo() {
		// a pass another instance holds for a minute: it outlives the token
		Instant now = Instant.now();
		mongo.insert(new Document(Map.of("_id", "expiry-pass", "kind", "REFRESH", "policyId", "held", "policyVersion", 1,
				"status", "RUNNING", "asOf", Date.from(now), "total", 0L, "processed", 0L, "changed", 0L, "qualified", 0L))
			.append("owner", "other-instance")
			.append("leaseUntil", Date.from(now.plusSeconds(60)))
			.append("requestedBy", "system:scoring")
			.append("createdAt", Date.from(now)), "scoring_jobs");
		var socket = GraphQlSockets.socket(port, tokenFrom(port, "demo-marketing"));
		try {
			var states = socket.document("subscription { scoringJob(id: \"expiry-pass\") { status } }")
				.executeSubscription()
				.toFlux();
			assertThatThrownBy(() -> states.blockLast(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class, expired -> assertThat(expired.getErrors())
					.extracting(error -> error.getExtensions().get("code"))
					.containsExactly("TOKEN_EXPIRED"));
		}
		finally {
			socket.stop().block(Duration.ofSeconds(5));
		}
	}
}
