package io.leadgraph.scoring;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.lead.LeadsChanged;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointsRecorded;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Scores leads in the request that changed them: speed to lead is the point, so a touchpoint that
 * crosses the MQL threshold moves the lead before the request answers. A failure here does not fail
 * the request (its data is written); the lead is scored again from its history shortly after.
 */
@Component
class ScoringTriggers {

	private static final Logger log = LoggerFactory.getLogger(ScoringTriggers.class);

	private final LeadScorer scorer;

	ScoringTriggers(LeadScorer scorer) {
		this.scorer = scorer;
	}

	@EventListener
	void touchpointsRecorded(TouchpointsRecorded recorded) {
		List<String> leadIds = recorded.touchpoints().stream().map(Touchpoint::leadId).distinct().toList();
		try {
			scorer.score(leadIds, recorded.touchpoints(), false);
		}
		catch (RuntimeException ex) {
			log.warn("Scoring {} touchpoints failed; scoring their leads again shortly",
					recorded.touchpoints().size(), ex);
			scorer.repairLater(leadIds);
		}
	}

	@EventListener
	void leadsChanged(LeadsChanged changed) {
		try {
			scorer.score(changed.leadIds(), List.of(), changed.created());
		}
		catch (RuntimeException ex) {
			log.warn("Scoring {} changed leads failed; scoring them again shortly", changed.leadIds().size(), ex);
			scorer.repairLater(changed.leadIds());
		}
	}
}
