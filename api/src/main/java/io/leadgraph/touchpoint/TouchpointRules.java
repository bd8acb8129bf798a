package io.leadgraph.touchpoint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadSource;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;
import io.leadgraph.touchpoint.TouchpointInputs.ContactInput;
import io.leadgraph.touchpoint.TouchpointInputs.TouchpointInput;

/** Checks and normalises one input item; the first problem found rejects it. */
final class TouchpointRules {

	static final int MAX_BATCH = 500;

	static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private static final int MAX_PROPERTIES = 30;

	private static final Pattern KEY = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,63}$");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$");

	private TouchpointRules() {
	}

	/** A valid item, normalised, waiting for its lead. */
	record Candidate(int index, String source, String externalId, TouchpointType type, Channel channel,
			Direction direction, Instant occurredAt, @Nullable Campaign campaign, Map<String, Object> properties,
			@Nullable String leadId, @Nullable String email, @Nullable ContactInput contact) {

		String key() {
			return Touchpoint.key(source, externalId);
		}

		String field(String name) {
			return "touchpoints[" + index + "]." + name;
		}
	}

	/** Thrown inside the rules to reject the item being checked. */
	static final class Rejection extends RuntimeException {

		final String field;

		final String code;

		Rejection(String field, String code, String message) {
			super(message, null, false, false);
			this.field = field;
			this.code = code;
		}
	}

	static Candidate check(int index, TouchpointInput input, Caller caller, Instant now) {
		String at = "touchpoints[" + index + "].";
		String source = identifier(at + "source", input.source(), 64);
		String externalId = identifier(at + "externalId", input.externalId(), 200);
		TouchpointType type = enumValue(at + "type", TouchpointType.class, input.type());
		Channel channel = input.channel() == null ? type.defaultChannel
				: enumValue(at + "channel", Channel.class, input.channel());
		Direction direction = input.direction() == null ? type.defaultDirection()
				: enumValue(at + "direction", Direction.class, input.direction());
		Instant occurredAt = instant(at + "occurredAt", input.occurredAt()).truncatedTo(ChronoUnit.MILLIS);
		if (occurredAt.isAfter(now.plus(CLOCK_SKEW))) {
			throw new Rejection(at + "occurredAt", "OCCURRED_IN_FUTURE",
					"is more than " + CLOCK_SKEW.toMinutes() + " minutes in the future");
		}
		Campaign campaign = input.campaign() == null ? null
				: new Campaign(required(at + "campaign.id", input.campaign().id(), 100),
						optional(at + "campaign.name", input.campaign().name(), 200));
		Map<String, Object> properties = properties(at + "properties", input.properties());
		if (input.contact() != null && blankToNull(input.contact().leadSource()) != null) {
			enumValue(at + "contact.leadSource", LeadSource.class, input.contact().leadSource());
		}
		// lead ids are lower-case hex; an upper-case copy names the same lead
		String leadId = blankToNull(input.leadId()) == null ? null : input.leadId().strip().toLowerCase(Locale.ROOT);
		String email = blankToNull(input.email()) == null ? null : input.email().strip().toLowerCase(Locale.ROOT);
		if (leadId == null && email == null) {
			throw new Rejection(at + "leadId", "MISSING_LEAD", "give leadId or email");
		}
		if (leadId == null && !EMAIL.matcher(email).matches()) {
			throw new Rejection(at + "email", "INVALID_EMAIL", "is not an email address");
		}
		if (!mayRecord(caller, type, direction)) {
			throw new Rejection(TouchpointType.SALES_ACTIVITY.contains(type) ? at + "direction" : at + "type",
					"NOT_PERMITTED_FOR_ROLE",
					"sales records outbound sales activities only (CALL, MEETING, EMAIL_SENT, EMAIL_REPLY with direction OUTBOUND)");
		}
		return new Candidate(index, source, externalId, type, channel, direction, occurredAt, campaign, properties,
				leadId, leadId == null ? email : null, input.contact());
	}

	static boolean mayRecord(Caller caller, TouchpointType type, Direction direction) {
		if (caller.has(Role.ADMIN) || caller.has(Role.MARKETING) || caller.has(Role.AUTOMATION)) {
			return true;
		}
		return caller.has(Role.SALES) && direction == Direction.OUTBOUND && TouchpointType.SALES_ACTIVITY.contains(type);
	}

	private static String required(String field, @Nullable String value, int max) {
		if (value == null || value.isBlank()) {
			throw new Rejection(field, "REQUIRED", "is required");
		}
		return optional(field, value, max);
	}

	/** Part of the idempotency key: no control characters, so two different pairs never make one key. */
	private static String identifier(String field, @Nullable String value, int max) {
		String identifier = required(field, value, max);
		if (identifier.chars().anyMatch(Character::isISOControl)) {
			throw new Rejection(field, "INVALID_VALUE", "must not contain control characters");
		}
		return identifier;
	}

	private static @Nullable String optional(String field, @Nullable String value, int max) {
		String stripped = blankToNull(value);
		if (stripped != null && stripped.length() > max) {
			throw new Rejection(field, "TOO_LONG", "must be at most " + max + " characters");
		}
		return stripped;
	}

	private static <E extends Enum<E>> E enumValue(String field, Class<E> type, @Nullable String value) {
		try {
			return Enum.valueOf(type, required(field, value, 40).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException unknown) {
			throw new Rejection(field, "INVALID_VALUE", "is not a known " + type.getSimpleName() + " value");
		}
	}

	private static Instant instant(String field, @Nullable String value) {
		try {
			return OffsetDateTime.parse(required(field, value, 64)).toInstant();
		}
		catch (DateTimeParseException unreadable) {
			throw new Rejection(field, "INVALID_DATETIME", "must be ISO-8601 with a zone, e.g. 2026-11-22T10:15:30Z");
		}
	}

	private static Map<String, Object> properties(String field, @Nullable Object value) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> raw)) {
			throw new Rejection(field, "INVALID_VALUE", "must be a JSON object");
		}
		if (raw.size() > MAX_PROPERTIES) {
			throw new Rejection(field, "TOO_MANY_PROPERTIES", "at most " + MAX_PROPERTIES + " properties");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		raw.forEach((rawKey, entry) -> {
			String key = String.valueOf(rawKey);
			if (!KEY.matcher(key).matches()) {
				throw new Rejection(field, "INVALID_KEY", "keys start with a letter and hold at most 64 letters, digits, _ and -");
			}
			switch (entry) {
				case String text when text.length() <= 500 -> properties.put(key, text);
				case String text -> throw new Rejection(field + "." + key, "TOO_LONG", "must be at most 500 characters");
				case Boolean flag -> properties.put(key, flag);
				case BigInteger big when big.bitLength() < 64 -> properties.put(key, big.longValue());
				case BigDecimal decimal -> properties.put(key, decimal.doubleValue());
				case Integer number -> properties.put(key, number.longValue());
				case Long number -> properties.put(key, number);
				case Double number when Double.isFinite(number) -> properties.put(key, number);
				case null, default -> throw new Rejection(field + "." + key, "INVALID_VALUE",
						"must be a string, number or boolean");
			}
		});
		return properties;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}
}
