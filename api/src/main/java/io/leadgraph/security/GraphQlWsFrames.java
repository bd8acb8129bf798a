package io.leadgraph.security;

import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a text frame is a message a graphql-ws client may send: a JSON object whose {@code type}
 * is one of the client's, with an object (or no) payload, and for {@code subscribe} an id and a
 * payload with a non-blank {@code query}, an optional string {@code operationName} and optional
 * object {@code variables} and {@code extensions}; for {@code complete} an id. Checked before Spring
 * GraphQL reads the frame, which fails on anything else with exceptions it cannot tell from its own.
 */
final class GraphQlWsFrames {

	private static final Set<String> CLIENT_TYPES = Set.of("connection_init", "ping", "pong", "subscribe", "complete");

	private final JsonMapper json;

	GraphQlWsFrames(JsonMapper json) {
		this.json = json;
	}

	boolean isClientMessage(String frame) {
		JsonNode message;
		try {
			message = json.readTree(frame);
		}
		catch (JacksonException notJson) {
			return false;
		}
		if (!message.isObject() || !(message.get("type") instanceof JsonNode type) || !type.isString()
				|| !CLIENT_TYPES.contains(type.asString())) {
			return false;
		}
		@Nullable JsonNode payload = message.get("payload");
		if (!absentOr(payload, JsonNode::isObject)) {
			return false;
		}
		return switch (type.asString()) {
			case "subscribe" -> hasId(message) && payload != null && payload.isObject() && isRequest(payload);
			case "complete" -> hasId(message);
			default -> true;
		};
	}

	private static boolean isRequest(JsonNode payload) {
		return payload.get("query") instanceof JsonNode query && query.isString() && !query.asString().isBlank()
				&& absentOr(payload.get("operationName"), JsonNode::isString)
				&& absentOr(payload.get("variables"), JsonNode::isObject)
				&& absentOr(payload.get("extensions"), JsonNode::isObject);
	}

	private static boolean hasId(JsonNode message) {
		return message.get("id") instanceof JsonNode id && id.isString() && !id.asString().isEmpty();
	}

	private static boolean absentOr(@Nullable JsonNode value, Predicate<JsonNode> shape) {
		return value == null || value.isNull() || shape.test(value);
	}
}
