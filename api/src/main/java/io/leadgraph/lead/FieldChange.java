package io.leadgraph.lead;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** One field of a lead that changed, for {@code LEAD_UPDATED} events and {@code changedFields}. */
record FieldChange(String field, @Nullable Object before, @Nullable Object after) {

	Map<String, Object> toPayload() {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("field", field);
		payload.put("before", payloadValue(before));
		payload.put("after", payloadValue(after));
		return payload;
	}

	/** Values as plain JSON-able data: enums by name, owners as maps, null kept as null. */
	static @Nullable Object payloadValue(@Nullable Object value) {
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		if (value instanceof Owner owner) {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("id", owner.id());
			map.put("name", owner.name());
			return map;
		}
		return value;
	}
}
