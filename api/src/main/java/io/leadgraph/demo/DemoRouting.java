package io.leadgraph.demo;

import java.time.DayOfWeek;
import java.util.List;

import io.leadgraph.handoff.HandoffInputs.SaveRoutingRuleInput;
import io.leadgraph.handoff.HandoffInputs.SaveSalesRepInput;
import io.leadgraph.handoff.HandoffInputs.TerritoriesInput;
import io.leadgraph.handoff.HandoffInputs.WorkingHoursInput;
import io.leadgraph.handoff.HandoffService;
import io.leadgraph.handoff.RoutingRule.Strategy;
import io.leadgraph.handoff.SalesRep.WorkingPeriod;
import io.leadgraph.scoring.PolicyDocument.Condition;
import io.leadgraph.scoring.PolicyDocument.Operator;

/**
 * The demo's sales team: the {@code demo-sales} client is a rep (so its token sees "my queue"), with
 * three colleagues in other time zones; big companies go to two reps by weight with a 15-minute
 * window, everything else round robin with an hour.
 */
final class DemoRouting {

	static final int REPS = 4;

	static final int RULES = 2;

	private DemoRouting() {
	}

	static void configure(HandoffService handoffs) {
		handoffs.saveRep(rep("demo-sales", "Dana Demo", "EMEA", "Europe/Berlin", 2));
		handoffs.saveRep(rep("rep-ana", "Ana Ortega", "EMEA", "Europe/Madrid", 1));
		handoffs.saveRep(rep("rep-ben", "Ben Carter", "AMER", "America/New_York", 1));
		handoffs.saveRep(rep("rep-chen", "Chen Wei", "APAC", "Asia/Singapore", 1));
		handoffs.saveRule(new SaveRoutingRuleInput("enterprise", "Enterprise accounts", 10,
				new Condition(null, null, null, "company.employees", Operator.GTE, 1000),
				List.of("demo-sales", "rep-ana"), Strategy.WEIGHTED, "PT15M", true, true));
		handoffs.saveRule(new SaveRoutingRuleInput("everyone-else", "Everyone else", 20, null,
				List.of("demo-sales", "rep-ana", "rep-ben", "rep-chen"), Strategy.ROUND_ROBIN, "PT1H", false, true));
	}

	private static SaveSalesRepInput rep(String id, String name, String team, String zone, int weight) {
		List<WorkingPeriod> weekdays = List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
				DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)
			.stream()
			.map(day -> new WorkingPeriod(day, "09:00", "17:30"))
			.toList();
		return new SaveSalesRepInput(id, name, id + "@leadgraph.example", team, new TerritoriesInput(null, null),
				weight, 100, new WorkingHoursInput(zone, weekdays), null, true);
	}
}
