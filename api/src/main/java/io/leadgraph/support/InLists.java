package io.leadgraph.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a lookup by many keys ({@code $in}) in slices. The embedded store checks each document an
 * index found against the whole {@code $in} list again, so one query over n keys costs n² there
 * (5,000 keys: 25 million comparisons); slices of {@value #SLICE} keep it linear. On MongoDB a slice
 * is one more round trip per {@value #SLICE} keys, nothing more.
 */
public final class InLists {

	public static final int SLICE = 500;

	private InLists() {
	}

	/** The lookup's results over all keys, one query per slice. */
	public static <K, R> List<R> query(Collection<K> keys, Function<List<K>, ? extends Collection<R>> lookup) {
		List<R> results = new ArrayList<>();
		slices(keys).forEach(slice -> results.addAll(lookup.apply(slice)));
		return results;
	}

	/** The keys in slices of at most {@value #SLICE}. */
	public static <K> List<List<K>> slices(Collection<K> keys) {
		List<K> all = List.copyOf(keys);
		List<List<K>> slices = new ArrayList<>();
		for (int from = 0; from < all.size(); from += SLICE) {
			slices.add(all.subList(from, Math.min(all.size(), from + SLICE)));
		}
		return slices;
	}
}
