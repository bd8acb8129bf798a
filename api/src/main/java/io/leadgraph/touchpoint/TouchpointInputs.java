package io.leadgraph.touchpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** The GraphQL input types of the touchpoint feature. */
public final class TouchpointInputs {

	private TouchpointInputs() {
	}

	public record RecordTouchpointsInput(List<TouchpointInput> touchpoints) {
	}

	/**
	 * Everything may be missing or of the wrong shape here: each problem rejects only its item, so
	 * required fields are checked by the rules, not by the schema, and properties bind as any value.
	 */
	public record TouchpointInput(@Nullable String source, @Nullable String externalId, @Nullable String type,
			@Nullable String channel, @Nullable String direction, @Nullable String occurredAt,
			@Nullable CampaignInput campaign, @Nullable Object properties, @Nullable String leadId,
			@Nullable String email, @Nullable ContactInput contact) {
	}

	public record CampaignInput(@Nullable String id, @Nullable String name) {
	}

	public record ContactInput(@Nullable String firstName, @Nullable String lastName, @Nullable String title,
			@Nullable String phone, @Nullable String company, @Nullable String leadSource) {
	}

	record TouchpointFilter(@Nullable List<TouchpointType> types, @Nullable List<Channel> channels,
			@Nullable Direction direction, @Nullable String campaignId) {
	}
}
