package io.leadgraph.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Records the shape of every query the tests send to MongoDB and checks it against the indexes the
 * aggregates declare: a filter is served when an index starts with one of its fields (or, for an
 * {@code $or}, when every branch is served); an empty filter only with a sort on an index's first
 * key or a limit of 1. The embedded store cannot show a collection scan by speed; this shows it by
 * shape, so production MongoDB will not scan.
 */
public final class QueryShapes implements CommandListener {

	private final Map<String, Set<String>> leadingKeys = new HashMap<>();

	private final Queue<String> unserved = new ConcurrentLinkedQueue<>();

	private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** The collection of each read command (find, getMore, aggregate) since the last drain. */
	private final Queue<String> reads = new ConcurrentLinkedQueue<>();

	/**
	 * Read commands on these collections since the last call, which forgets every read: the service's
	 * own timers read other collections meanwhile.
	 */
	public int drainReadCount(String... collections) {
		Set<String> counted = Set.of(collections);
		int count = 0;
		String collection;
		while ((collection = reads.poll()) != null) {
			count += counted.contains(collection) ? 1 : 0;
		}
		return count;
	}

	public QueryShapes declare(String collection, String firstKey) {
		leadingKeys.computeIfAbsent(collection, c -> new HashSet<>(Set.of("_id"))).add(firstKey);
		return this;
	}

	/** Shapes seen so far ({@code collection command filter-fields sort-fields}). */
	public Set<String> seen() {
		return Set.copyOf(seen);
	}

	/** Unserved shapes since the last call, which clears them. */
	public List<String> drainUnserved() {
		List<String> drained = new ArrayList<>();
		String shape;
		while ((shape = unserved.poll()) != null) {
			drained.add(shape);
		}
		return drained;
	}

	@Override
	public void commandStarted(CommandStartedEvent event) {
		BsonDocument command = event.getCommand();
		String name = event.getCommandName();
		if (name.equals("find") || name.equals("aggregate")) {
			reads.add(command.get(name).isString() ? command.getString(name).getValue() : "");
		}
		else if (name.equals("getMore")) {
			reads.add(command.getString("collection").getValue());
		}
		switch (name) {
			case "find" -> check(command.getString("find").getValue(), name, command.getDocument("filter", new BsonDocument()),
					command.getDocument("sort", new BsonDocument()), limit(command));
			// a count without a query is the collection's metadata (estimatedDocumentCount)
			case "count" -> {
				if (!command.getDocument("query", new BsonDocument()).isEmpty()) {
					check(command.getString(name).getValue(), name, command.getDocument("query"), new BsonDocument(), 0);
				}
			}
			case "distinct" -> check(command.getString(name).getValue(), name,
					command.getDocument("query", new BsonDocument()), new BsonDocument(), 0);
			case "findAndModify" -> check(command.getString("findAndModify").getValue(), name,
					command.getDocument("query", new BsonDocument()), command.getDocument("sort", new BsonDocument()), 1);
			case "update", "delete" -> {
				String collection = command.getString(name).getValue();
				BsonArray statements = command.getArray(name + "s", new BsonArray());
				for (BsonValue statement : statements) {
					BsonDocument doc = statement.asDocument();
					check(collection, name, doc.getDocument("q", new BsonDocument()), new BsonDocument(),
							doc.containsKey("limit") && doc.get("limit").isNumber() ? doc.getNumber("limit").intValue() : 0);
				}
			}
			case "aggregate" -> {
				BsonArray pipeline = command.getArray("pipeline", new BsonArray());
				BsonDocument match = !pipeline.isEmpty() && pipeline.get(0).asDocument().containsKey("$match")
						? pipeline.get(0).asDocument().getDocument("$match") : new BsonDocument();
				if (command.get("aggregate").isString()) {
					check(command.getString("aggregate").getValue(), name, match, new BsonDocument(), 0);
				}
			}
			default -> {
			}
		}
	}

	private static int limit(BsonDocument command) {
		return command.containsKey("limit") && command.get("limit").isNumber() ? command.getNumber("limit").intValue() : 0;
	}

	private void check(String collection, String command, BsonDocument filter, BsonDocument sort, int limit) {
		String shape = collection + " " + command + " " + fields(filter) + " sort" + sort.keySet();
		seen.add(shape);
		Set<String> keys = leadingKeys.getOrDefault(collection, Set.of("_id"));
		boolean served;
		if (filter.isEmpty()) {
			served = limit == 1 || (!sort.isEmpty() && keys.contains(sort.getFirstKey()));
		}
		else {
			served = served(filter, Set.of(), keys);
		}
		if (!served) {
			unserved.add(shape);
		}
	}

	/**
	 * The {@code _id} index counts for a point lookup ({@code _id} by equality or {@code $in}) or when
	 * {@code _id} is the only field; a range on {@code _id} next to other fields would scan the whole
	 * tail of the collection for them, so those fields need an index of their own.
	 */
	private static boolean served(BsonDocument filter, Set<String> inherited, Set<String> keys) {
		Set<String> fields = new LinkedHashSet<>(inherited);
		List<BsonArray> ors = new ArrayList<>();
		collect(filter, fields, ors);
		if (fields.stream().anyMatch(field -> !field.equals("_id") && keys.contains(field))) {
			return true;
		}
		if (fields.contains("_id") && (fields.size() == 1 || isPointLookup(filter.get("_id")))) {
			return true;
		}
		for (BsonArray or : ors) {
			if (or.stream().allMatch(branch -> served(branch.asDocument(), fields, keys))) {
				return true;
			}
		}
		return false;
	}

	private static boolean isPointLookup(BsonValue condition) {
		if (condition == null) {
			return false;
		}
		if (!condition.isDocument() || condition.asDocument().isEmpty()
				|| !condition.asDocument().getFirstKey().startsWith("$")) {
			return true;
		}
		return condition.asDocument().keySet().stream().allMatch(op -> op.equals("$eq") || op.equals("$in"));
	}

	private static void collect(BsonDocument filter, Set<String> fields, List<BsonArray> ors) {
		for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
			switch (entry.getKey()) {
				case "$and" -> entry.getValue().asArray().forEach(part -> collect(part.asDocument(), fields, ors));
				case "$or" -> ors.add(entry.getValue().asArray());
				default -> {
					if (!entry.getKey().startsWith("$")) {
						fields.add(entry.getKey());
					}
				}
			}
		}
	}

	private static String fields(BsonDocument filter) {
		Set<String> fields = new LinkedHashSet<>();
		List<BsonArray> ors = new ArrayList<>();
		collect(filter, fields, ors);
		StringBuilder shape = new StringBuilder(fields.toString());
		for (BsonArray or : ors) {
			List<String> branches = new ArrayList<>();
			or.forEach(branch -> branches.add(fields(branch.asDocument())));
			shape.append(" $or").append(branches);
		}
		return shape.toString();
	}
}
