package io.leadgraph.touchpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.bson.Document;
import org.jspecify.annotations.Nullable;

import io.leadgraph.touchpoint.TouchpointInputs.TouchpointFilter;

import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The journey of leads: their touchpoints newest first, and engagement summaries. Built for lists of
 * leads: a page of leads costs one query for all their touchpoint pages and one aggregation for all
 * their engagement summaries.
 */
@Service
public class TouchpointReads {

	static final String OCCURRED_AT = "occurredAt";

	static final String ID = "id";

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Direction.DESC, OCCURRED_AT, "_id");

	private final MongoTemplate mongo;

	private final Clock clock;

	TouchpointReads(MongoTemplate mongo, Clock clock) {
		this.mongo = mongo;
		this.clock = clock;
	}

	/**
	 * A page of one lead's touchpoints.
	 *
	 * @param leadId the lead
	 * @param first page size
	 * @param after keys of the last touchpoint of the previous page ({@code occurredAt}, {@code id}), or null
	 * @param filter optional criteria
	 */
	record PageKey(String leadId, int first, @Nullable Map<String, Object> after, @Nullable TouchpointFilter filter) {
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Map<PageKey, Window<Touchpoint>> pages(Collection<PageKey> keys) {
		Map<PageKey, Window<Touchpoint>> pages = new HashMap<>();
		Map<List<Object>, List<PageKey>> firstPages = new LinkedHashMap<>();
		for (PageKey key : keys) {
			if (key.after() == null) {
				firstPages.computeIfAbsent(List.of(key.first(), String.valueOf(key.filter())), shape -> new ArrayList<>())
					.add(key);
			}
			else {
				pages.put(key, laterPage(key));
			}
		}
		firstPages.values().forEach(sameShape -> pages.putAll(firstPages(sameShape)));
		return pages;
	}

	/** First pages of many leads with one query, streamed and cut at {@code first + 1} per lead. */
	private Map<PageKey, Window<Touchpoint>> firstPages(List<PageKey> keys) {
		PageKey shape = keys.getFirst();
		Map<String, PageKey> byLead = keys.stream().collect(Collectors.toMap(PageKey::leadId, key -> key, (a, b) -> a));
		Criteria criteria = filtered(Criteria.where("leadId").in(byLead.keySet()), shape.filter());
		Query query = Query.query(criteria).with(Sort.by("leadId").and(NEWEST_FIRST)).cursorBatchSize(1000);
		Map<String, List<Touchpoint>> found = new HashMap<>();
		try (var stream = mongo.stream(query, Touchpoint.class)) {
			stream.forEach(touchpoint -> {
				List<Touchpoint> ofLead = found.computeIfAbsent(touchpoint.leadId(), id -> new ArrayList<>());
				if (ofLead.size() <= shape.first()) {
					ofLead.add(touchpoint);
				}
			});
		}
		Map<PageKey, Window<Touchpoint>> pages = new HashMap<>();
		byLead.forEach((leadId, key) -> pages.put(key, window(found.getOrDefault(leadId, List.of()), key.first())));
		keys.forEach(key -> pages.putIfAbsent(key, pages.get(byLead.get(key.leadId()))));
		return pages;
	}

	private Window<Touchpoint> laterPage(PageKey key) {
		Instant at = (Instant) key.after().get(OCCURRED_AT);
		String id = (String) key.after().get(ID);
		Criteria criteria = filtered(Criteria.where("leadId").is(key.leadId()), key.filter())
			.orOperator(Criteria.where(OCCURRED_AT).lt(at),
					Criteria.where(OCCURRED_AT).is(at).and("_id").lt(new org.bson.types.ObjectId(id)));
		return window(mongo.find(Query.query(criteria).with(NEWEST_FIRST).limit(key.first() + 1), Touchpoint.class),
				key.first());
	}

	private static Window<Touchpoint> window(List<Touchpoint> touchpoints, int first) {
		boolean more = touchpoints.size() > first;
		List<Touchpoint> page = more ? touchpoints.subList(0, first) : touchpoints;
		return Window.from(page,
				i -> ScrollPosition.forward(Map.of(OCCURRED_AT, page.get(i).occurredAt(), ID, page.get(i).id())),
				more);
	}

	private static Criteria filtered(Criteria criteria, @Nullable TouchpointFilter filter) {
		if (filter == null) {
			return criteria;
		}
		if (filter.types() != null && !filter.types().isEmpty()) {
			criteria = criteria.and("type").in(filter.types());
		}
		if (filter.channels() != null && !filter.channels().isEmpty()) {
			criteria = criteria.and("channel").in(filter.channels());
		}
		if (filter.direction() != null) {
			criteria = criteria.and("direction").is(filter.direction());
		}
		if (filter.campaignId() != null) {
			criteria = criteria.and("campaign.id").is(filter.campaignId());
		}
		return criteria;
	}

	/** Engagement of many leads with one aggregation, grouped by lead, type, channel, direction, campaign. */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Map<String, Engagement> engagement(Collection<String> leadIds) {
		var aggregation = Aggregation.newAggregation(Touchpoint.class,
				Aggregation.match(Criteria.where("leadId").in(leadIds)),
				Aggregation.group("leadId", "type", "channel", "direction", "campaign.id")
					.count()
					.as("count")
					.min(OCCURRED_AT)
					.as("first")
					.max(OCCURRED_AT)
					.as("last"));
		Map<String, List<Engagement.Group>> groups = new HashMap<>();
		for (Document row : mongo.aggregate(aggregation, Document.class).getMappedResults()) {
			Document id = row.get("_id", Document.class);
			Object campaign = id.get("id");
			groups.computeIfAbsent(id.getString("leadId"), lead -> new ArrayList<>())
				.add(new Engagement.Group(TouchpointType.valueOf(id.getString("type")),
						Channel.valueOf(id.getString("channel")), Direction.valueOf(id.getString("direction")),
						campaign == null ? null : campaign.toString(), ((Number) row.get("count")).intValue(),
						instant(row.get("first")), instant(row.get("last"))));
		}
		Instant now = clock.instant();
		Map<String, Engagement> result = new HashMap<>();
		for (String leadId : leadIds) {
			result.put(leadId, Engagement.of(groups.getOrDefault(leadId, List.of()), now));
		}
		return result;
	}

	private static Instant instant(Object value) {
		return value instanceof java.util.Date date ? date.toInstant() : (Instant) value;
	}
}
