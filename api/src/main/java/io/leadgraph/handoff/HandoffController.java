package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.leadgraph.handoff.HandoffInputs.AcceptHandoffInput;
import io.leadgraph.handoff.HandoffInputs.DeleteRoutingRuleInput;
import io.leadgraph.handoff.HandoffInputs.HandoffFilter;
import io.leadgraph.handoff.HandoffInputs.HandoffOrder;
import io.leadgraph.handoff.HandoffInputs.RejectHandoffInput;
import io.leadgraph.handoff.HandoffInputs.SaveRoutingRuleInput;
import io.leadgraph.handoff.HandoffInputs.SaveSalesRepInput;
import io.leadgraph.handoff.HandoffPayloads.AcceptHandoffPayload;
import io.leadgraph.handoff.HandoffPayloads.DeleteRoutingRulePayload;
import io.leadgraph.handoff.HandoffPayloads.RejectHandoffPayload;
import io.leadgraph.handoff.HandoffPayloads.SaveRoutingRulePayload;
import io.leadgraph.handoff.HandoffPayloads.SaveSalesRepPayload;
import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadService;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

@Controller
class HandoffController {

	private static final int DEFAULT_PAGE = 20;

	private static final int MAX_PAGE = 100;

	private final HandoffService handoffs;

	private final LeadService leads;

	private final Pages pages;

	HandoffController(HandoffService handoffs, LeadService leads, Pages pages) {
		this.handoffs = handoffs;
		this.leads = leads;
		this.pages = pages;
	}

	@QueryMapping
	List<SalesRep> salesReps(@Argument @Nullable String team, @Argument @Nullable Boolean active) {
		return handoffs.reps(team, active);
	}

	@QueryMapping
	@Nullable SalesRep salesRep(@Argument String id) {
		return handoffs.rep(id).orElse(null);
	}

	@QueryMapping
	List<RoutingRule> routingRules() {
		return handoffs.rules();
	}

	@QueryMapping
	@Nullable Handoff handoff(@Argument String id) {
		return handoffs.handoff(id).orElse(null);
	}

	@QueryMapping
	Window<Handoff> handoffs(@Argument @Nullable HandoffFilter filter, @Argument @Nullable HandoffOrder orderBy,
			@Argument @Nullable Integer first, @Argument @Nullable String after) {
		return handoffs.handoffs(filter, orderBy, pages.subrange(first, after, null, null, DEFAULT_PAGE, MAX_PAGE));
	}

	record StatsWindowInput(@Nullable Instant from, @Nullable Instant to) {
	}

	@QueryMapping
	HandoffStats handoffStats(@Argument @Nullable StatsWindowInput window, @Argument HandoffStats.GroupBy groupBy) {
		return handoffs.stats(window == null ? null : window.from(), window == null ? null : window.to(), groupBy);
	}

	@MutationMapping
	SaveSalesRepPayload saveSalesRep(@Argument SaveSalesRepInput input) {
		return new SaveSalesRepPayload(handoffs.saveRep(input));
	}

	@MutationMapping
	SaveRoutingRulePayload saveRoutingRule(@Argument SaveRoutingRuleInput input) {
		return new SaveRoutingRulePayload(handoffs.saveRule(input));
	}

	@MutationMapping
	DeleteRoutingRulePayload deleteRoutingRule(@Argument DeleteRoutingRuleInput input) {
		return new DeleteRoutingRulePayload(handoffs.deleteRule(input.id()));
	}

	@MutationMapping
	AcceptHandoffPayload acceptHandoff(@Argument AcceptHandoffInput input) {
		return handoffs.accept(input.handoffId());
	}

	@MutationMapping
	RejectHandoffPayload rejectHandoff(@Argument RejectHandoffInput input) {
		return handoffs.reject(input);
	}

	@BatchMapping(typeName = "Handoff")
	Map<Handoff, Lead> lead(List<Handoff> page) {
		Map<String, Lead> byId = new HashMap<>();
		leads.leadsById(page.stream().map(Handoff::leadId).distinct().toList()).forEach(l -> byId.put(l.id(), l));
		Map<Handoff, Lead> result = new LinkedHashMap<>();
		page.forEach(handoff -> {
			Lead lead = byId.get(handoff.leadId());
			if (lead != null) {
				result.put(handoff, lead);
			}
		});
		return result;
	}

	@BatchMapping(typeName = "Handoff")
	Map<Handoff, SalesRep> rep(List<Handoff> page) {
		Map<String, SalesRep> byId = handoffs
			.repsById(page.stream().map(Handoff::repId).filter(Objects::nonNull).distinct().toList());
		Map<Handoff, SalesRep> result = new LinkedHashMap<>();
		page.forEach(handoff -> {
			SalesRep rep = handoff.repId() == null ? null : byId.get(handoff.repId());
			if (rep != null) {
				result.put(handoff, rep);
			}
		});
		return result;
	}

	@SchemaMapping(typeName = "Handoff")
	String responseWindow(Handoff handoff) {
		return Duration.ofSeconds(handoff.responseWindowSeconds()).toString();
	}

	@BatchMapping(typeName = "RoutingRule")
	Map<RoutingRule, List<SalesRep>> pool(List<RoutingRule> rules) {
		Map<String, SalesRep> byId = handoffs
			.repsById(rules.stream().flatMap(rule -> rule.pool().stream()).distinct().toList());
		Map<RoutingRule, List<SalesRep>> result = new LinkedHashMap<>();
		rules.forEach(rule -> result.put(rule, rule.pool().stream().map(byId::get).filter(Objects::nonNull).toList()));
		return result;
	}

	@SchemaMapping(typeName = "RoutingRule")
	String responseWindow(RoutingRule rule) {
		return rule.responseWindow().toString();
	}
}
