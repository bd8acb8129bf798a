package io.leadgraph.touchpoint;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** The GraphQL input types of the touchpoint feature. */
final class TouchpointInputs {

	private TouchpointInputs() {
	}

	record RecordTouchpointsInput(List<TouchpointInput> touchpoints) {
	}

	record TouchpointInput(String source, String externalId, String type, @Nullable String channel,
			@Nullable String direction, String occurredAt, @Nullable Campaign campaign,
			@Nullable Map<String, @Nullable Object> properties, @Nullable String leadId, @Nullable String email,
			@Nullable ContactInput contact) {
	}

	record ContactInput(@Nullable String firstName, @Nullable String lastName, @Nullable String title,
			@Nullable String phone, @Nullable String company, @Nullable String leadSource) {
	}

	record TouchpointFilter(@Nullable List<TouchpointType> types, @Nullable List<Channel> channels,
			@Nullable Direction direction, @Nullable String campaignId) {
	}
}
