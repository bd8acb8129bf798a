package io.leadgraph.event;

import java.util.List;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** Reads of the log by position, for the query, replays and the live follower; no access checks here. */
@Component
class EventReads {

	private final MongoTemplate mongo;

	EventReads(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** Matching events with {@code after < position <= upTo}, in log order, at most {@code limit}. */
	List<LeadEvent> between(long after, long upTo, EventFilter filter, int limit) {
		Criteria criteria = Criteria.where("_id").gt(after);
		if (upTo < Long.MAX_VALUE) {
			criteria = criteria.lte(upTo);
		}
		if (filter.byStage()) {
			// stage criteria speak of stage moves only
			if (!filter.types().isEmpty() && !filter.types().contains(EventFilter.STAGE_CHANGED)) {
				return List.of();
			}
			criteria = criteria.and("type").is(EventFilter.STAGE_CHANGED);
		}
		else if (!filter.types().isEmpty()) {
			criteria = criteria.and("type").in(filter.types());
		}
		if (!filter.leadIds().isEmpty()) {
			criteria = criteria.and("leadId").in(filter.leadIds());
		}
		if (!filter.fromStages().isEmpty()) {
			criteria = criteria.and("payload.from").in(filter.fromStages());
		}
		if (!filter.toStages().isEmpty()) {
			criteria = criteria.and("payload.to").in(filter.toStages());
		}
		if (!filter.ownerIds().isEmpty()) {
			criteria = criteria.and("lead.ownerId").in(filter.ownerIds());
		}
		if (!filter.sources().isEmpty()) {
			criteria = criteria.and("lead.source").in(filter.sources());
		}
		return mongo.find(Query.query(criteria).with(Sort.by("position")).limit(limit), LeadEvent.class);
	}

	/**
	 * The events at positions {@code from..to} (at most a page), in log order: point reads by id on any
	 * store, where a range read scans the log on the embedded one.
	 */
	List<LeadEvent> positions(long from, long to) {
		List<Long> ids = java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
		return mongo.find(Query.query(Criteria.where("_id").in(ids)).with(Sort.by("position")), LeadEvent.class);
	}

	/** Position up to which retention may have deleted the log (0: nothing deleted). */
	long purgedThrough() {
		PurgeMark mark = mongo.findById(PurgeMark.ID, PurgeMark.class);
		return mark == null ? 0 : mark.purgedThrough();
	}

	/**
	 * Fails with CURSOR_EXPIRED when events right after {@code after} may have been deleted by
	 * retention: a replay from there would have a hole.
	 */
	void requireRetained(long after) {
		if (after < purgedThrough()) {
			throw new CursorExpiredException();
		}
	}

	/** The position of the newest event, 0 when the log is empty. */
	long lastPosition() {
		Query last = new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1);
		last.fields().include("_id");
		return mongo.find(last, org.bson.Document.class, "lead_events")
			.stream()
			.map(doc -> ((Number) doc.get("_id")).longValue())
			.findFirst()
			.orElse(0L);
	}
}
