package io.leadgraph.touchpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What happened to one item of a batch. */
record TouchpointResult(int index, TouchpointStatus status, @Nullable Touchpoint touchpoint,
		@Nullable String leadId, boolean leadCreated, @Nullable String code, @Nullable String field,
		@Nullable String message) {

	enum TouchpointStatus {
		RECORDED, DUPLICATE, REJECTED
	}

	record RecordTouchpointsPayload(List<TouchpointResult> results) {
	}

	static TouchpointResult recorded(int index, Touchpoint touchpoint, boolean leadCreated) {
		return new TouchpointResult(index, TouchpointStatus.RECORDED, touchpoint, touchpoint.leadId(), leadCreated,
				null, null, null);
	}

	static TouchpointResult duplicate(int index, Touchpoint original) {
		return new TouchpointResult(index, TouchpointStatus.DUPLICATE, original, original.leadId(), false, null, null,
				null);
	}

	static TouchpointResult rejected(int index, String field, String code, String message) {
		return new TouchpointResult(index, TouchpointStatus.REJECTED, null, null, false, code, field, message);
	}
}
