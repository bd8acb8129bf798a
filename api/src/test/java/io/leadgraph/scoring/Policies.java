package io.leadgraph.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policy inputs for the scoring tests, as the GraphQL variables a marketer's tool would send. */
final class Policies {

	private Policies() {
	}

	static Map<String, Object> compare(String field, String op, Object value) {
		return Map.of("field", field, "op", op, "value", value);
	}

	static Map<String, Object> rule(String id, Map<String, Object> when, int points) {
		Map<String, Object> rule = new LinkedHashMap<>();
		rule.put("id", id);
		rule.put("when", when);
		rule.put("points", points);
		return rule;
	}

	static Map<String, Object> capped(Map<String, Object> rule, String cap, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(rule);
		copy.put(cap, value);
		return copy;
	}

	/**
	 * The example: fit employees ≥ 200 +15, country in DE/FR/GB +5, title contains VP +10,
	 * free mail −10, plan attribute enterprise +5 (fit max 30); engagement DEMO_REQUEST +30, PRICING_VIEW
	 * +10 at most 3 a day, UNSUBSCRIBE −20 without decay (engagement max 100, half-life 30 days); MQL
	 * at total ≥ 60 and fit ≥ 20; grades A 25, B 15, C 5.
	 */
	static Map<String, Object> standard(String name) {
		Map<String, Object> policy = new LinkedHashMap<>();
		policy.put("name", name);
		policy.put("description", "Inbound B2B");
		policy.put("fitRules", new ArrayList<>(List.of(rule("big-company", compare("company.employees", "GTE", 200), 15),
				rule("core-market", compare("company.country", "IN", List.of("DE", "FR", "GB")), 5),
				rule("vp", compare("title", "CONTAINS", "VP"), 10), rule("free-mail", compare("freeMail", "EQ", true), -10),
				rule("enterprise-plan", compare("attributes.plan", "EQ", "enterprise"), 5))));
		policy.put("engagementRules", new ArrayList<>(List.of(rule("demo", compare("type", "EQ", "DEMO_REQUEST"), 30),
				capped(rule("pricing", compare("type", "EQ", "PRICING_VIEW"), 10), "maxPerDay", 3),
				capped(rule("unsubscribe", compare("type", "EQ", "UNSUBSCRIBE"), -20), "decays", false))));
		policy.put("fitMax", 30);
		policy.put("engagementMax", 100);
		policy.put("halfLifeDays", 30.0);
		policy.put("mqlThreshold", Map.of("total", 60, "fit", 20));
		policy.put("grades", Map.of("a", 25, "b", 15, "c", 5));
		return policy;
	}
}
