package io.leadgraph.support;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.types.ObjectId;

import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.pagination.CursorStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.pagination.CursorEncoder;
import org.springframework.graphql.data.pagination.EncodingCursorStrategy;

/**
 * Cursors for keyset positions. Replaces Spring GraphQL's default JSON cursor, which writes Java
 * class names into every cursor: here a cursor is {@code v1&key=type:value&…} (base64-encoded by
 * {@link Registration}), with only strings, instants, longs, ints and object ids as values. Anything
 * else does not decode, and is answered as an invalid cursor.
 */
final class KeysetCursors implements CursorStrategy<ScrollPosition> {

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Also makes Boot's default cursor strategy back off, so connections use these cursors too. */
		@Bean
		EncodingCursorStrategy<ScrollPosition> cursorStrategy() {
			return CursorStrategy.withEncoder(new KeysetCursors(), CursorEncoder.base64());
		}
	}

	private static final String VERSION = "v1";

	@Override
	public boolean supports(Class<?> targetType) {
		return ScrollPosition.class.isAssignableFrom(targetType);
	}

	@Override
	public String toCursor(ScrollPosition position) {
		if (!(position instanceof KeysetScrollPosition keyset)) {
			throw new IllegalArgumentException("Only keyset positions have cursors");
		}
		List<String> parts = new ArrayList<>();
		parts.add(VERSION);
		keyset.getKeys().forEach((key, value) -> parts.add(encode(key) + "=" + encode(typed(value))));
		return String.join("&", parts);
	}

	@Override
	public ScrollPosition fromCursor(String cursor) {
		String[] parts = cursor.split("&");
		if (parts.length < 2 || !VERSION.equals(parts[0])) {
			throw new IllegalArgumentException("Not a cursor");
		}
		Map<String, Object> keys = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			String[] pair = parts[i].split("=", 2);
			if (pair.length != 2) {
				throw new IllegalArgumentException("Not a cursor");
			}
			keys.put(decode(pair[0]), value(decode(pair[1])));
		}
		return ScrollPosition.forward(keys);
	}

	private static String typed(Object value) {
		return switch (value) {
			case String text -> "s:" + text;
			case Instant instant -> "t:" + instant;
			case Long number -> "l:" + number;
			case Integer number -> "i:" + number;
			case ObjectId id -> "o:" + id.toHexString();
			default -> throw new IllegalArgumentException("No cursor form for " + value.getClass().getSimpleName());
		};
	}

	private static Object value(String typed) {
		if (typed.length() < 2 || typed.charAt(1) != ':') {
			throw new IllegalArgumentException("Not a cursor");
		}
		String value = typed.substring(2);
		return switch (typed.charAt(0)) {
			case 's' -> value;
			case 't' -> Instant.parse(value);
			case 'l' -> Long.parseLong(value);
			case 'i' -> Integer.parseInt(value);
			case 'o' -> new ObjectId(value);
			default -> throw new IllegalArgumentException("Not a cursor");
		};
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}
}
