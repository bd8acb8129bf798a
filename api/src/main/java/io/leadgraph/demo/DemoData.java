package io.leadgraph.demo;

import java.util.Map;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadInputs.MoveLeadStageInput;
import io.leadgraph.lead.LeadPayloads.LeadCreated;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.security.SystemCaller;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Loads {@value #LEADS} leads into an empty store, deterministic (fixed seed), and walks part of them
 * through the lifecycle with real stage moves, so history and events look like a working funnel.
 */
@Component
@ConditionalOnBooleanProperty("leadgraph.demo.enabled")
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	static final int LEADS = 300;

	static final String ACTOR = "system:demo-data";

	private final LeadService leads;

	private final DemoLeads generator;

	DemoData(LeadService leads) {
		this.leads = leads;
		this.generator = new DemoLeads(new Random(42));
	}

	@Override
	public void run(ApplicationArguments args) {
		SystemCaller.runAs(ACTOR, this::load);
	}

	private void load() {
		if (!leads.isEmpty()) {
			log.info("Demo data: the store already holds leads; nothing loaded");
			return;
		}
		int created = 0;
		for (int i = 0; i < LEADS; i++) {
			DemoLeads.DemoLead demo = generator.next(i);
			if (!(leads.createLead(demo.input()) instanceof LeadCreated(Lead lead))) {
				continue;
			}
			created++;
			for (Map.Entry<Stage, String> move : demo.path().entrySet()) {
				leads.moveLeadStage(new MoveLeadStageInput(lead.id(), move.getKey(), move.getValue(), null));
			}
		}
		log.info("Demo data: {} leads loaded", created);
	}
}
