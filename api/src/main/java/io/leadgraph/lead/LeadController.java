package io.leadgraph.lead;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadInputs.LeadFilter;
import io.leadgraph.lead.LeadInputs.LeadOrder;
import io.leadgraph.lead.LeadInputs.MoveLeadStageInput;
import io.leadgraph.lead.LeadInputs.UpdateLeadInput;
import io.leadgraph.lead.LeadPayloads.CreateLeadPayload;
import io.leadgraph.lead.LeadPayloads.MoveLeadStagePayload;
import io.leadgraph.lead.LeadPayloads.UpdateLeadPayload;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class LeadController {

	private static final int DEFAULT_PAGE = 20;

	private static final int MAX_PAGE = 100;

	private final LeadService leads;

	private final Pages pages;

	LeadController(LeadService leads, Pages pages) {
		this.leads = leads;
		this.pages = pages;
	}

	@QueryMapping
	@Nullable Lead lead(@Argument String id) {
		return leads.lead(id).orElse(null);
	}

	@QueryMapping
	Window<Lead> leads(@Argument @Nullable LeadFilter filter, @Argument @Nullable LeadOrder orderBy,
			@Argument @Nullable Integer first, @Argument @Nullable String after, @Argument @Nullable Integer last,
			@Argument @Nullable String before) {
		return leads.leads(filter, orderBy, pages.subrange(first, after, last, before, DEFAULT_PAGE, MAX_PAGE));
	}

	@MutationMapping
	CreateLeadPayload createLead(@Argument CreateLeadInput input) {
		return leads.createLead(input);
	}

	@MutationMapping
	UpdateLeadPayload updateLead(@Argument UpdateLeadInput input) {
		return leads.updateLead(input);
	}

	@MutationMapping
	MoveLeadStagePayload moveLeadStage(@Argument MoveLeadStageInput input) {
		return leads.moveLeadStage(input);
	}
}
