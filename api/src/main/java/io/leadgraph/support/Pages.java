package io.leadgraph.support;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.graphql.data.pagination.CursorStrategy;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Component;

/**
 * Reads Relay paging arguments ({@code first after last before}) into a {@link ScrollSubrange},
 * with typed errors for bad counts and cursors instead of an internal error, and writes cursors for
 * positions a feature computes itself.
 */
@Component
public class Pages {

	private final CursorStrategy<ScrollPosition> cursors;

	Pages(CursorStrategy<ScrollPosition> cursors) {
		this.cursors = cursors;
	}

	public ScrollSubrange subrange(@Nullable Integer first, @Nullable String after, @Nullable Integer last,
			@Nullable String before, int defaultSize, int maxSize) {
		var problems = new InputProblems();
		if ((first != null || after != null) && (last != null || before != null)) {
			problems.add(first != null ? "first" : "after", "CONFLICTING_ARGUMENTS",
					"page forward with first/after or backward with last/before, not both");
		}
		checkCount(problems, "first", first, maxSize);
		checkCount(problems, "last", last, maxSize);
		problems.throwIfAny();
		boolean forward = last == null && before == null;
		ScrollPosition position = forward ? keyset("after", after) : keyset("before", before);
		Integer count = forward ? first : last;
		if (!forward && before == null) {
			position = ScrollPosition.keyset().backward();
		}
		return ScrollSubrange.create(position, count == null ? defaultSize : count, forward);
	}

	/** The keys of a keyset cursor, or an empty map for none. */
	public Map<String, Object> keys(String argument, @Nullable String cursor) {
		return keyset(argument, cursor).getKeys();
	}

	/**
	 * Refuses a cursor from another order or list: its keys must be the sort's properties (Spring
	 * Data would fail on it deep inside, as an internal error).
	 */
	public static void requireCursorFits(ScrollSubrange page, Sort sort) {
		if (page.position().orElse(null) instanceof KeysetScrollPosition keyset && !keyset.getKeys().isEmpty()) {
			java.util.Set<String> expected = new java.util.HashSet<>();
			sort.forEach(order -> expected.add(order.getProperty()));
			if (!keyset.getKeys().keySet().equals(expected)) {
				throw new InvalidInputException("after", "INVALID_CURSOR", "is not a cursor of this list in this order");
			}
		}
	}

	public String cursor(Map<String, Object> keys) {
		return cursors.toCursor(ScrollPosition.forward(keys));
	}

	private KeysetScrollPosition keyset(String argument, @Nullable String cursor) {
		if (cursor == null) {
			return ScrollPosition.keyset();
		}
		try {
			if (cursors.fromCursor(cursor) instanceof KeysetScrollPosition keyset) {
				return keyset;
			}
		}
		catch (RuntimeException unreadable) {
			// answered below as a typed error
		}
		throw new InvalidInputException(argument, "INVALID_CURSOR", "is not a cursor this list gave out");
	}

	private static void checkCount(InputProblems problems, String argument, @Nullable Integer count, int maxSize) {
		if (count != null && (count < 1 || count > maxSize)) {
			problems.add(argument, "OUT_OF_RANGE", "must be between 1 and " + maxSize);
		}
	}
}
