package io.leadgraph.config;

import com.mongodb.ConnectionString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says in the start-up log which MongoDB is in use, without its credentials. */
@Component
@ConditionalOnExpression("!'${spring.mongodb.uri:}'.isBlank()")
class ExternalMongoNotice {

	private static final Logger log = LoggerFactory.getLogger(ExternalMongoNotice.class);

	private final ConnectionString uri;

	ExternalMongoNotice(@Value("${spring.mongodb.uri}") String uri) {
		this.uri = new ConnectionString(uri);
	}

	@EventListener(ApplicationStartedEvent.class)
	void announce() {
		log.info("Store: MongoDB at {} database '{}'{}", uri.getHosts(), uri.getDatabase(),
				uri.getRequiredReplicaSetName() == null ? " (no replica set named: change streams need one in production)"
						: " replica set '" + uri.getRequiredReplicaSetName() + "'");
	}
}
