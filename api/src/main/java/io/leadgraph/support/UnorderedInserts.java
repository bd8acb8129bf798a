package io.leadgraph.support;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Inserts documents with one unordered bulk write, where losing a unique index to another writer is
 * an expected outcome, not an error: every document that can be inserted is, and the caller learns
 * which ones another writer had inserted first.
 */
public final class UnorderedInserts {

	private static final int DUPLICATE_KEY = 11000;

	private UnorderedInserts() {
	}

	/** Positions (in {@code documents}) of the documents a unique index refused; other failures throw. */
	public static <T> Set<Integer> insert(MongoTemplate mongo, Class<T> type, List<T> documents) {
		if (documents.isEmpty()) {
			return Set.of();
		}
		try {
			mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type).insert(documents).execute();
			return Set.of();
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof MongoBulkWriteException bulk
						&& bulk.getWriteErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY)) {
					Set<Integer> refused = new HashSet<>();
					bulk.getWriteErrors().forEach(error -> refused.add(error.getIndex()));
					return refused;
				}
			}
			throw ex;
		}
	}
}
