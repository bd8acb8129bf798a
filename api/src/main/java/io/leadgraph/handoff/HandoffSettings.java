package io.leadgraph.handoff;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Handoff settings ({@code leadgraph.handoff.*}).
 *
 * @param atRiskShare the share of a response window after which a handoff is SLA_AT_RISK
 * @param defaultResponseWindow a rule's window when it names none, and the fallback queue's
 */
@Component
record HandoffSettings(double atRiskShare, Duration defaultResponseWindow) {

	HandoffSettings(@Value("${leadgraph.handoff.at-risk-share:0.8}") double atRiskShare,
			@Value("${leadgraph.handoff.default-response-window:1h}") Duration defaultResponseWindow) {
		if (!(atRiskShare > 0 && atRiskShare < 1)) {
			throw new IllegalArgumentException("leadgraph.handoff.at-risk-share must be between 0 and 1");
		}
		this.atRiskShare = atRiskShare;
		this.defaultResponseWindow = defaultResponseWindow;
	}
}
