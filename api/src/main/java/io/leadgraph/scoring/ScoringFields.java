package io.leadgraph.scoring;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadSource;
import io.leadgraph.touchpoint.Channel;
import io.leadgraph.touchpoint.Direction;
import io.leadgraph.touchpoint.TouchpointType;

/**
 * The field paths conditions may name, with their value types: fit rules read the lead and its
 * company, engagement rules read the touchpoint. Custom {@code attributes.<key>} and touchpoint
 * {@code properties.<key>} hold strings, numbers or booleans.
 */
final class ScoringFields {

	enum ValueType {

		STRING, NUMBER, BOOLEAN, ENUM, ANY

	}

	record Field(String path, ValueType type, Set<String> enumValues) {

		static Field of(String path, ValueType type) {
			return new Field(path, type, Set.of());
		}

		static Field ofEnum(String path, Enum<?>[] values) {
			return new Field(path, ValueType.ENUM,
					Arrays.stream(values).map(Enum::name).collect(Collectors.toUnmodifiableSet()));
		}
	}

	/** Which rules a path is for. */
	enum Scope {

		FIT("attributes."), ENGAGEMENT("properties."),
		/** Routing rules: the fit fields, and the touchpoint that made the lead MQL ({@code trigger.*}). */
		ROUTING("attributes.");

		private final String customPrefix;

		Scope(String customPrefix) {
			this.customPrefix = customPrefix;
		}
	}

	private static final Pattern CUSTOM_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

	private static final Map<String, Field> FIT = byPath(Field.of("email", ValueType.STRING),
			Field.of("emailDomain", ValueType.STRING), Field.of("freeMail", ValueType.BOOLEAN),
			Field.of("firstName", ValueType.STRING), Field.of("lastName", ValueType.STRING),
			Field.of("title", ValueType.STRING), Field.of("phone", ValueType.STRING),
			Field.ofEnum("source", LeadSource.values()), Field.of("company.name", ValueType.STRING),
			Field.of("company.domain", ValueType.STRING), Field.of("company.employees", ValueType.NUMBER),
			Field.of("company.industry", ValueType.STRING), Field.of("company.country", ValueType.STRING));

	private static final Map<String, Field> ENGAGEMENT = byPath(Field.ofEnum("type", TouchpointType.values()),
			Field.ofEnum("channel", Channel.values()), Field.ofEnum("direction", Direction.values()),
			Field.of("source", ValueType.STRING), Field.of("campaign.id", ValueType.STRING),
			Field.of("campaign.name", ValueType.STRING));

	private static final Map<String, Field> ROUTING = routing();

	private ScoringFields() {
	}

	private static Map<String, Field> routing() {
		Map<String, Field> fields = new LinkedHashMap<>(FIT);
		fields.putAll(byPath(Field.ofEnum("trigger.type", TouchpointType.values()),
				Field.ofEnum("trigger.channel", Channel.values()), Field.of("trigger.campaign.id", ValueType.STRING)));
		return java.util.Collections.unmodifiableMap(fields);
	}

	private static Map<String, Field> of(Scope scope) {
		return switch (scope) {
			case FIT -> FIT;
			case ENGAGEMENT -> ENGAGEMENT;
			case ROUTING -> ROUTING;
		};
	}

	/** The field a path names in this scope, or null when there is none. */
	static @Nullable Field find(Scope scope, String path) {
		Field known = of(scope).get(path);
		if (known != null) {
			return known;
		}
		if (path.startsWith(scope.customPrefix)
				&& CUSTOM_KEY.matcher(path.substring(scope.customPrefix.length())).matches()) {
			return Field.of(path, ValueType.ANY);
		}
		return null;
	}

	/** The fixed paths of a scope, for messages. */
	static Set<String> paths(Scope scope) {
		return of(scope).keySet();
	}

	private static Map<String, Field> byPath(Field... fields) {
		Map<String, Field> map = new LinkedHashMap<>();
		for (Field field : fields) {
			map.put(field.path(), field);
		}
		return map;
	}
}
