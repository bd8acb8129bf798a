package io.leadgraph.lead;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;

/**
 * The lead state machine: which moves exist, and which team owns each. Marketing owns the moves
 * among NEW, MQL, RECYCLED and DISQUALIFIED before sales accepted the lead; sales owns accepting
 * (MQL → SQL) and every move out of SQL and OPPORTUNITY; both may recycle or disqualify an MQL (sales
 * does it when rejecting a handoff); admin may make every move that exists.
 */
final class Lifecycle {

	private static final Set<Role> MARKETING = EnumSet.of(Role.MARKETING);

	private static final Set<Role> SALES = EnumSet.of(Role.SALES);

	private static final Set<Role> BOTH = EnumSet.of(Role.MARKETING, Role.SALES);

	private static final Map<Stage, Map<Stage, Set<Role>>> MOVES = new EnumMap<>(Stage.class);

	static {
		MOVES.put(Stage.NEW, Map.of(Stage.MQL, MARKETING, Stage.DISQUALIFIED, MARKETING));
		MOVES.put(Stage.MQL, Map.of(Stage.SQL, SALES, Stage.RECYCLED, BOTH, Stage.DISQUALIFIED, BOTH));
		MOVES.put(Stage.SQL, Map.of(Stage.OPPORTUNITY, SALES, Stage.RECYCLED, SALES, Stage.DISQUALIFIED, SALES));
		MOVES.put(Stage.OPPORTUNITY,
				Map.of(Stage.CUSTOMER, SALES, Stage.RECYCLED, SALES, Stage.DISQUALIFIED, SALES));
		MOVES.put(Stage.CUSTOMER, Map.of());
		MOVES.put(Stage.RECYCLED, Map.of(Stage.MQL, MARKETING, Stage.DISQUALIFIED, MARKETING));
		MOVES.put(Stage.DISQUALIFIED, Map.of(Stage.RECYCLED, MARKETING));
	}

	private static final Set<Stage> NEED_REASON = EnumSet.of(Stage.RECYCLED, Stage.DISQUALIFIED);

	private Lifecycle() {
	}

	static boolean exists(Stage from, Stage to) {
		return MOVES.get(from).containsKey(to);
	}

	static boolean permits(Caller caller, Stage from, Stage to) {
		if (!exists(from, to)) {
			return false;
		}
		return caller.has(Role.ADMIN) || MOVES.get(from).get(to).stream().anyMatch(caller::has);
	}

	/** Stages the caller may move a lead in {@code from} to, in lifecycle order. */
	static List<Stage> allowed(Caller caller, Stage from) {
		return EnumSet.allOf(Stage.class).stream().filter(to -> permits(caller, from, to)).toList();
	}

	static boolean needsReason(Stage to) {
		return NEED_REASON.contains(to);
	}
}
