package io.leadgraph.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.leadgraph.lead.Stage;
import io.leadgraph.touchpoint.TouchpointInputs.CampaignInput;
import io.leadgraph.touchpoint.TouchpointInputs.TouchpointInput;

/**
 * Generates what demo leads did over the last 60 days: a few low-intent touches for everyone, more
 * intent the further a lead got, and a demo request for some leads still NEW, which the demo scoring
 * policy then qualifies.
 */
final class DemoTouchpoints {

	private static final List<String> BROWSING = List.of("PAGE_VIEW", "PAGE_VIEW", "EMAIL_OPEN", "EMAIL_CLICK",
			"CONTENT_DOWNLOAD", "AD_CLICK");

	private static final List<String> INTENT = List.of("WEBINAR", "PRICING_VIEW", "FORM_SUBMIT", "PRICING_VIEW");

	private static final List<CampaignInput> CAMPAIGNS = List.of(new CampaignInput("q3-webinar-series", "Q3 webinar series"),
			new CampaignInput("pricing-retargeting", "Pricing retargeting"),
			new CampaignInput("state-of-revops-report", "State of RevOps report"));

	private final Random random;

	private final Instant now;

	private int counter;

	DemoTouchpoints(Random random, Instant now) {
		this.random = random;
		this.now = now.truncatedTo(ChronoUnit.MINUTES);
	}

	List<TouchpointInput> forLead(String leadId, int index, Map<Stage, ?> path) {
		List<TouchpointInput> touches = new ArrayList<>();
		int browsing = random.nextInt(5);
		for (int i = 0; i < browsing; i++) {
			touches.add(touch(leadId, pick(BROWSING)));
		}
		if (path.containsKey(Stage.MQL)) {
			int intent = 1 + random.nextInt(3);
			for (int i = 0; i < intent; i++) {
				touches.add(touch(leadId, pick(INTENT)));
			}
		}
		if (path.containsKey(Stage.SQL)) {
			touches.add(touch(leadId, "DEMO_REQUEST"));
		}
		if (path.isEmpty() && index % 10 == 7) {
			// hot this week: the demo policy qualifies those that also fit
			for (String type : List.of("WEBINAR", "PRICING_VIEW", "DEMO_REQUEST")) {
				touches.add(touch(leadId, type, now.minus(random.nextInt(3 * 24 * 60), ChronoUnit.MINUTES)));
			}
		}
		return touches;
	}

	private TouchpointInput touch(String leadId, String type) {
		return touch(leadId, type, now.minus(random.nextInt(60 * 24 * 60), ChronoUnit.MINUTES));
	}

	private TouchpointInput touch(String leadId, String type, Instant at) {
		String occurredAt = at.toString();
		CampaignInput campaign = random.nextInt(3) == 0 ? pick(CAMPAIGNS) : null;
		return new TouchpointInput("demo-data", "demo-" + (++counter), type, null, null, occurredAt, campaign, null,
				leadId, null, null);
	}

	private <T> T pick(List<T> values) {
		return values.get(random.nextInt(values.size()));
	}
}
