package io.leadgraph.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.handoff.HandoffService;
import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadInputs.MoveLeadStageInput;
import io.leadgraph.lead.LeadPayloads.LeadCreated;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.partner.Partner.PartnerStatus;
import io.leadgraph.partner.PartnerInputs.SavePartnerInput;
import io.leadgraph.partner.PartnerService;
import io.leadgraph.scoring.ScoringService;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.touchpoint.TouchpointInputs.RecordTouchpointsInput;
import io.leadgraph.touchpoint.TouchpointInputs.TouchpointInput;
import io.leadgraph.touchpoint.TouchpointService;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Loads {@value #LEADS} leads into an empty store, deterministic (fixed seeds), walks part of them
 * through the lifecycle with real stage moves, records what they did, activates a scoring policy and
 * sets up sales reps with routing rules, so history, events, touchpoints, scores and handoffs look like
 * a working funnel.
 */
@Component
@ConditionalOnBooleanProperty("leadgraph.demo.enabled")
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	static final int LEADS = 300;

	static final String ACTOR = "system:demo-data";

	static final String POLICY_ID = "demo-inbound";

	private final LeadService leads;

	private final TouchpointService touchpoints;

	private final ScoringService scoring;

	private final HandoffService handoffs;

	private final PartnerService partners;

	private final Clock clock;

	private final DemoLeads generator;

	DemoData(LeadService leads, TouchpointService touchpoints, ScoringService scoring, HandoffService handoffs,
			PartnerService partners, Clock clock) {
		this.leads = leads;
		this.partners = partners;
		this.handoffs = handoffs;
		this.touchpoints = touchpoints;
		this.scoring = scoring;
		this.clock = clock;
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
		DemoRouting.configure(handoffs);
		// the demo partner clients' partner_id claims
		partners.save(new SavePartnerInput("partner-acme", "Acme Resellers", PartnerStatus.ACTIVE, 90, 30));
		partners.save(new SavePartnerInput("partner-globex", "Globex Channel", PartnerStatus.ACTIVE, 90, 30));
		int created = 0;
		var touches = new DemoTouchpoints(new Random(7), clock.instant());
		List<TouchpointInput> recorded = new ArrayList<>();
		for (int i = 0; i < LEADS; i++) {
			DemoLeads.DemoLead demo = generator.next(i);
			if (!(leads.createLead(demo.input()) instanceof LeadCreated(Lead lead))) {
				continue;
			}
			created++;
			for (Map.Entry<Stage, String> move : demo.path().entrySet()) {
				leads.moveLeadStage(new MoveLeadStageInput(lead.id(), move.getKey(), move.getValue(), null));
			}
			recorded.addAll(touches.forLead(lead.id(), i, demo.path()));
		}
		for (int from = 0; from < recorded.size(); from += 500) {
			touchpoints.record(new RecordTouchpointsInput(recorded.subList(from, Math.min(from + 500, recorded.size()))));
		}
		activatePolicy();
		log.info("Demo data: {} leads and {} touchpoints loaded; scoring policy {} activated; {} sales reps and {} "
				+ "routing rules route each MQL", created, recorded.size(), POLICY_ID, DemoRouting.REPS,
				DemoRouting.RULES);
	}

	/** Activates the demo scoring policy: its job scores every demo lead, and qualifies a few. */
	private void activatePolicy() {
		try (var yaml = new ClassPathResource("demo/scoring-policy.yaml").getInputStream()) {
			var policy = scoring.importYaml(POLICY_ID, new String(yaml.readAllBytes(), StandardCharsets.UTF_8));
			scoring.activate(POLICY_ID, policy.version());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
