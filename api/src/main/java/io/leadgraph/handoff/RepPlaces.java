package io.leadgraph.handoff;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Who is next and who has room: each rule's turns and each rep's places (open handoffs), taken and
 * given back with single conditional writes, so they hold under concurrent routing on any number of
 * instances — never with a returned counter, which the embedded store can hand out twice.
 */
@Component
class RepPlaces {

	/** The next turn this instance last saw per rule: a lone router takes a turn in one write. */
	private final Map<String, Long> lastTurns = new ConcurrentHashMap<>();

	private final MongoTemplate mongo;

	RepPlaces(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** The rule's next turn, taken by compare-and-set: each number goes to exactly one routing. */
	long takeTurn(String ruleId) {
		Long expected = lastTurns.get(ruleId);
		while (true) {
			if (expected == null) {
				RoutingTurn turn = mongo.findById(ruleId, RoutingTurn.class);
				if (turn == null) {
					mongo.upsert(Query.query(Criteria.where("_id").is(ruleId)), new Update().setOnInsert("next", 0L),
							RoutingTurn.class);
					continue;
				}
				expected = turn.next();
			}
			var taken = mongo.updateFirst(Query.query(Criteria.where("_id").is(ruleId).and("next").is(expected)),
					new Update().set("next", expected + 1), RoutingTurn.class);
			if (taken.getModifiedCount() == 1) {
				lastTurns.put(ruleId, expected + 1);
				return expected;
			}
			expected = null;
		}
	}

	/** One more open handoff for the rep, unless that would pass their capacity or they left. */
	boolean claim(SalesRep rep) {
		Criteria criteria = Criteria.where("_id").is(rep.id()).and("active").is(true);
		if (rep.capacity() != null) {
			criteria = criteria.and("openHandoffs").lt(rep.capacity());
		}
		return mongo.updateFirst(Query.query(criteria), new Update().inc("openHandoffs", 1), SalesRep.class)
			.getModifiedCount() == 1;
	}

	/** Gives the rep's place back once per handoff: {@code released} flips once. */
	void release(Handoff handoff) {
		var flipped = mongo.updateFirst(Query.query(Criteria.where("_id").is(handoff.id()).and("released").is(false)),
				new Update().set("released", true), Handoff.class);
		if (flipped.getModifiedCount() == 1) {
			giveBack(handoff.repId());
		}
	}

	void giveBack(@Nullable String repId) {
		if (repId != null) {
			mongo.updateFirst(Query.query(Criteria.where("_id").is(repId)), new Update().inc("openHandoffs", -1),
					SalesRep.class);
		}
	}
}
