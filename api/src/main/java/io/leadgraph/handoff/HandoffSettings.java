package io.leadgraph.handoff;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Handoff settings ({@code leadgraph.handoff.*}).
 *
 * @param atRiskShare the share of a response window after which a handoff is SLA_AT_RISK
 * @param defaultResponseWindow a rule's window when it names none, and the fallback queue's
 * @param queueRetry how often a queued handoff is offered to the reps again
 */
@Component
record HandoffSettings(double atRiskShare, Duration defaultResponseWindow, Duration queueRetry) {

	HandoffSettings(@Value("${leadgraph.handoff.at-risk-share:0.8}") double atRiskShare,
			@Value("${leadgraph.handoff.default-response-window:1h}") Duration defaultResponseWindow,
			@Value("${leadgraph.handoff.queue-retry:1m}") Duration queueRetry) {
		if (!(atRiskShare > 0 && atRiskShare < 1)) {
			throw new IllegalArgumentException("leadgraph.handoff.at-risk-share must be between 0 and 1");
		}
		this.atRiskShare = atRiskShare;
		this.defaultResponseWindow = defaultResponseWindow;
		this.queueRetry = queueRetry;
	}
}
