package io.leadgraph.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetCursorsTest {

	private final KeysetCursors cursors = new KeysetCursors();

	@Test
	void keysRoundTripWithTheirTypes() {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("createdAt", Instant.parse("2026-11-22T10:15:30.123456Z"));
		keys.put("id", "6b03731ddb507c42d7315168");
		keys.put("position", 42L);
		keys.put("n", 7);
		keys.put("oid", new ObjectId("6b03731ddb507c42d7315168"));
		keys.put("odd & = key", "value & = too");

		String cursor = cursors.toCursor(ScrollPosition.forward(keys));

		assertThat(cursor).doesNotContain("java.", "Instant");
		assertThat(((KeysetScrollPosition) cursors.fromCursor(cursor)).getKeys()).isEqualTo(keys);
	}

	@Test
	void anythingElseDoesNotDecode() {
		for (String bad : new String[] { "", "v1", "v2&a=s:x", "v1&a", "v1&a=q:1", "v1&a=l:notanumber",
				"v1&a=t:yesterday" }) {
			assertThatThrownBy(() -> cursors.fromCursor(bad)).as(bad).isInstanceOf(RuntimeException.class);
		}
	}
}
