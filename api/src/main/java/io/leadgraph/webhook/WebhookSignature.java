package io.leadgraph.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures receivers check: {@code v1=} hex HMAC-SHA256, keyed with the endpoint's secret, over
 * {@code timestamp + "." + body}, where the timestamp (Unix seconds) is sent in its own header so
 * receivers can refuse old replays.
 */
final class WebhookSignature {

	static final String TIMESTAMP_HEADER = "Leadgraph-Timestamp";

	static final String SIGNATURE_HEADER = "Leadgraph-Signature";

	static final String EVENT_ID_HEADER = "Leadgraph-Event-Id";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSignature() {
	}

	static String sign(String secret, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1=" + HexFormat.of().formatHex(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

	/** A new secret: 32 random bytes, prefixed so it is recognisable in a secret scanner. */
	static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
