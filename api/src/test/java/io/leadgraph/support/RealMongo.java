package io.leadgraph.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Runs an integration test class against a real MongoDB: the one at {@code LEADGRAPH_TEST_MONGODB_URI}
 * when set, else a Testcontainers replica set when Docker is available; otherwise the class is
 * reported as skipped. A test class opts in with {@code @RealMongo.Required} and a
 * {@code @DynamicPropertySource} that calls {@link #register}.
 */
public final class RealMongo {

	private static final String URI_VARIABLE = "LEADGRAPH_TEST_MONGODB_URI";

	private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

	private static MongoDBContainer container;

	private RealMongo() {
	}

	/**
	 * Points the test context at the real MongoDB, in a database of its own: each test class has its
	 * own context, and contexts sharing a database would be instances competing for the event log.
	 * Names are unique across runs, so CI jobs sharing one server do not meet either.
	 */
	public static void register(DynamicPropertyRegistry registry) {
		String database = "leadgraph_it_" + DATABASES.incrementAndGet() + "_"
				+ java.util.UUID.randomUUID().toString().substring(0, 8);
		registry.add("spring.mongodb.uri", RealMongo::uri);
		registry.add("spring.mongodb.database", () -> database);
	}

	static synchronized String uri() {
		String configured = System.getenv(URI_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if (container == null) {
			container = new MongoDBContainer("mongo:8.0");
			container.start();
		}
		return container.getReplicaSetUrl("leadgraph");
	}

	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ExtendWith(Available.class)
	public @interface Required {
	}

	static final class Available implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			String configured = System.getenv(URI_VARIABLE);
			if (configured != null && !configured.isBlank()) {
				return ConditionEvaluationResult.enabled("MongoDB at " + URI_VARIABLE);
			}
			if (DockerClientFactory.instance().isDockerAvailable()) {
				return ConditionEvaluationResult.enabled("MongoDB in a Testcontainers replica set");
			}
			return ConditionEvaluationResult.disabled("No real MongoDB: set " + URI_VARIABLE + " or provide Docker");
		}
	}
}
