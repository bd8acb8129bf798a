package io.leadgraph.config;

import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * With no {@code spring.mongodb.uri} (nor {@code spring.mongodb.host}), starts an in-process MongoDB-wire-compatible server on
 * loopback and hands its address to Boot, so the service runs on a machine without MongoDB.
 * Memory backend by default; {@code leadgraph.embedded-mongo.file} opts into the (much slower) H2
 * file backend for small demos that should survive a restart.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.mongodb.uri:}'.isBlank() and '${spring.mongodb.host:}'.isBlank()")
class EmbeddedMongoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

	@Bean(destroyMethod = "shutdownNow")
	MongoServer embeddedMongoServer(@Value("${leadgraph.embedded-mongo.file:}") String file) throws Exception {
		MongoBackend backend;
		if (file.isBlank()) {
			backend = new MemoryBackend();
			log.warn("Store: embedded in-memory MongoDB-compatible server (mongo-java-server). "
					+ "For trying Leadgraph, tests and demos only, not production: data is lost on exit. "
					+ "Set spring.mongodb.uri to use a real MongoDB.");
		}
		else {
			Path path = Path.of(file).toAbsolutePath();
			Files.createDirectories(path.getParent());
			backend = new H2Backend(path.toString());
			log.warn("Store: embedded MongoDB-compatible server with H2 file persistence at {}. "
					+ "For small demos only (10-40x slower than memory), not production. "
					+ "Set spring.mongodb.uri to use a real MongoDB.", path);
		}
		MongoServer server = new MongoServer(backend);
		server.bind("127.0.0.1", 0);
		return server;
	}

	/**
	 * Replaces Boot's MongoDB health check, whose {@code hello} command the embedded server does not
	 * know (it would report the service DOWN).
	 */
	@Bean
	HealthIndicator mongoHealthIndicator(MongoClient client) {
		return () -> {
			client.getDatabase("admin").runCommand(new Document("ping", 1));
			return Health.up().withDetail("store", "embedded, not for production").build();
		};
	}

	/**
	 * The embedded server uses an index only for a query on exactly that index's fields, so the
	 * version-guarded writes of every {@code @Version} document ({@code _id} and version) would scan
	 * the collection. A unique {@code (_id, version)} index, for the embedded store only, turns them
	 * back into the point lookups they are on MongoDB, which needs no such index.
	 */
	@Bean
	SmartInitializingSingleton embeddedVersionGuardIndexes(MongoTemplate mongo, MongoMappingContext mapping) {
		return () -> mapping.getPersistentEntities()
			.stream()
			.filter(entity -> entity.isAnnotationPresent(org.springframework.data.mongodb.core.mapping.Document.class)
					&& entity.hasVersionProperty())
			.forEach(entity -> mongo.indexOps(entity.getType())
				.createIndex(new Index().on("_id", Sort.Direction.ASC)
					.on(entity.getRequiredVersionProperty().getFieldName(), Sort.Direction.ASC)
					.unique()
					.named("embedded_version_guard")));
	}

	@Bean
	MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer server) {
		var address = server.getLocalAddress();
		var connectionString = new ConnectionString(
				"mongodb://" + address.getHostString() + ":" + address.getPort() + "/leadgraph");
		return () -> connectionString;
	}
}
