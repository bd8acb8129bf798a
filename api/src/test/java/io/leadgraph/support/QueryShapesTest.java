package io.leadgraph.support;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionDescription;
import com.mongodb.connection.ServerId;
import com.mongodb.event.CommandStartedEvent;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryShapesTest {

	private final QueryShapes shapes = new QueryShapes().declare("leads", "stage").declare("leads", "createdAt");

	@Test
	void aFilterStartingAnIndexIsServed() {
		send("{find: 'leads', filter: {stage: 'NEW', text: 'x'}, sort: {updatedAt: -1}}");
		send("{find: 'leads', filter: {_id: 'a', version: 3}}");
		send("{find: 'leads', filter: {_id: {$in: ['a', 'b']}, email: 'x'}}");
		send("{find: 'leads', filter: {_id: {$gt: 5}}, sort: {_id: 1}}");
		send("{find: 'leads', filter: {}, sort: {createdAt: -1}}");
		send("{find: 'leads', filter: {}, limit: 1}");
		send("{update: 'leads', updates: [{q: {_id: 'a'}, u: {$set: {x: 1}}}]}");
		assertThat(shapes.drainUnserved()).isEmpty();
	}

	@Test
	void aKeysetOrIsServedWhenEveryBranchIs() {
		send("{find: 'leads', filter: {$and: [{country: 'DE'}, {$or: [{createdAt: {$lt: 1}}, {createdAt: 1, _id: {$lt: 'x'}}]}]}}");
		assertThat(shapes.drainUnserved()).isEmpty();
		send("{find: 'leads', filter: {$or: [{createdAt: {$lt: 1}}, {country: 'DE'}]}}");
		assertThat(shapes.drainUnserved()).hasSize(1);
	}

	@Test
	void scansAreReported() {
		send("{find: 'leads', filter: {country: 'DE'}}");
		send("{find: 'leads', filter: {}}");
		send("{find: 'other', filter: {stage: 'NEW'}}");
		send("{delete: 'leads', deletes: [{q: {email: 'x'}, limit: 0}]}");
		send("{aggregate: 'leads', pipeline: [{$match: {country: 'DE'}}]}");
		send("{find: 'leads', filter: {_id: {$gt: 5}, email: 'x'}}");
		assertThat(shapes.drainUnserved()).containsExactly("leads find [country] sort[]", "leads find [] sort[]",
				"other find [stage] sort[]", "leads delete [email] sort[]", "leads aggregate [country] sort[]",
				"leads find [_id, email] sort[]");
		assertThat(shapes.drainUnserved()).isEmpty();
	}

	private void send(String json) {
		BsonDocument command = BsonDocument.parse(json);
		var connection = new ConnectionDescription(new ServerId(new ClusterId(), new ServerAddress()));
		shapes.commandStarted(new CommandStartedEvent(null, 1, 1, connection, "leadgraph", command.getFirstKey(),
				command));
	}
}
