package io.leadgraph.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev issuer's RSA signing key: generated at start-up, or kept in a file so tokens survive a
 * restart. Never committed; the dev issuer does not run in production.
 */
final class DevSigningKey {

	private static final Logger log = LoggerFactory.getLogger(DevSigningKey.class);

	private DevSigningKey() {
	}

	static RSAKey load(String keyFile) throws Exception {
		if (keyFile.isBlank()) {
			return generate();
		}
		Path path = Path.of(keyFile);
		if (Files.exists(path)) {
			return RSAKey.parse(Files.readString(path));
		}
		RSAKey key = generate();
		Files.createDirectories(path.toAbsolutePath().getParent());
		Files.writeString(path, key.toJSONString());
		log.info("Dev issuer: new signing key kept in {}", path.toAbsolutePath());
		return key;
	}

	private static RSAKey generate() throws JOSEException {
		return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
	}
}
