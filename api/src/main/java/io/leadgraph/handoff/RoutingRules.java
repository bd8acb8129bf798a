package io.leadgraph.handoff;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** The routing rules in the order they are tried, read at most once a second for routing. */
@Component
class RoutingRules {

	private static final Duration TTL = Duration.ofSeconds(1);

	private volatile @Nullable CachedRules read;

	private final MongoTemplate mongo;

	RoutingRules(MongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** The rules in the order they are tried (a small, admin-made list: one read). */
	List<RoutingRule> all() {
		return mongo.find(new Query().with(Sort.by("position", "id")), RoutingRule.class);
	}

	/**
	 * The active rules, read at most once a second: a rule saved on this instance applies at once
	 * ({@link #forget}), one saved on another within a second.
	 */
	List<RoutingRule> active() {
		CachedRules cached = read;
		if (cached == null || System.nanoTime() - cached.readAt() > TTL.toNanos()) {
			cached = new CachedRules(all().stream().filter(RoutingRule::active).toList(), System.nanoTime());
			read = cached;
		}
		return cached.rules();
	}

	void forget() {
		read = null;
	}

	private record CachedRules(List<RoutingRule> rules, long readAt) {
	}
}
