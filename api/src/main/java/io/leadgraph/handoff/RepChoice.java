package io.leadgraph.handoff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.leadgraph.lead.Company;
import io.leadgraph.lead.Lead;

/**
 * The order in which a rule offers a lead to the reps of its pool, for one turn: the first rep in
 * this order whose capacity can still be claimed gets it. Reps who are inactive, out of office or
 * outside their territory are left out.
 */
final class RepChoice {

	private RepChoice() {
	}

	/** @param cycles WEIGHTED cycles already built in this batch, by rule id (filled here) */
	static List<SalesRep> order(RoutingRule rule, long turn, Map<String, SalesRep> reps, Lead lead, Instant now,
			Map<String, List<SalesRep>> cycles) {
		List<SalesRep> pool = rule.pool().stream().map(reps::get).filter(Objects::nonNull).toList();
		if (pool.isEmpty()) {
			return List.of();
		}
		List<SalesRep> inTurn = switch (rule.strategy()) {
			case ROUND_ROBIN -> rotate(pool, turn);
			case WEIGHTED -> weighted(pool, turn, cycles.computeIfAbsent(rule.id(), id -> cycle(pool)));
			case LEAST_LOADED -> rotate(pool, turn).stream()
				.sorted(Comparator.comparingInt(SalesRep::openHandoffs))
				.toList();
		};
		Company company = lead.company();
		return inTurn.stream()
			.filter(SalesRep::active)
			.filter(rep -> !rep.outOfOfficeAt(now))
			.filter(rep -> !rep.atCapacity())
			.filter(rep -> rep.territories()
				.covers(company == null ? null : company.country(), company == null ? null : company.employees()))
			.toList();
	}

	private static List<SalesRep> rotate(List<SalesRep> pool, long turn) {
		int start = (int) Math.floorMod(turn, (long) pool.size());
		List<SalesRep> rotated = new ArrayList<>(pool.subList(start, pool.size()));
		rotated.addAll(pool.subList(0, start));
		return rotated;
	}

	/**
	 * The reps from position {@code turn} of the smooth weighted cycle on (each rep as often as their
	 * weight per cycle, spread out rather than in runs), each once.
	 */
	private static List<SalesRep> weighted(List<SalesRep> pool, long turn, List<SalesRep> cycle) {
		int start = (int) Math.floorMod(turn, (long) cycle.size());
		// by id: the cycle was built from the batch's first reading of the reps, the pool is current
		Map<String, SalesRep> current = new java.util.HashMap<>();
		pool.forEach(rep -> current.put(rep.id(), rep));
		Set<String> order = new LinkedHashSet<>();
		for (int i = 0; i < cycle.size() && order.size() < pool.size(); i++) {
			order.add(cycle.get((start + i) % cycle.size()).id());
		}
		return order.stream().map(current::get).filter(Objects::nonNull).toList();
	}

	/** Smooth weighted round robin: a deterministic cycle of length Σ weights. */
	static List<SalesRep> cycle(List<SalesRep> pool) {
		int total = pool.stream().mapToInt(SalesRep::weight).sum();
		int[] current = new int[pool.size()];
		List<SalesRep> cycle = new ArrayList<>(total);
		for (int step = 0; step < total; step++) {
			int best = 0;
			for (int i = 0; i < pool.size(); i++) {
				current[i] += pool.get(i).weight();
				if (current[i] > current[best]) {
					best = i;
				}
			}
			current[best] -= total;
			cycle.add(pool.get(best));
		}
		return cycle;
	}
}
