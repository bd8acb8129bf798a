package io.leadgraph.config;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import org.jspecify.annotations.Nullable;

/**
 * {@code DateTime} as {@link Instant}: ISO-8601 in, UTC out. (graphql-java-extended-scalars'
 * DateTime maps to OffsetDateTime and cannot serialise an Instant.)
 */
final class DateTimeScalar {

	static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
		.name("DateTime")
		.coercing(new InstantCoercing())
		.build();

	private DateTimeScalar() {
	}

	private static final class InstantCoercing implements Coercing<Instant, String> {

		@Override
		public String serialize(Object value, GraphQLContext context, Locale locale) {
			if (value instanceof Instant instant) {
				return instant.toString();
			}
			if (value instanceof java.util.Date date) {
				return date.toInstant().toString();
			}
			throw new CoercingSerializeException("Not a DateTime");
		}

		@Override
		public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
			if (input instanceof String text) {
				Instant parsed = parse(text);
				if (parsed != null) {
					return parsed;
				}
			}
			throw new CoercingParseValueException("Expected an ISO-8601 date-time with zone, e.g. 2026-11-22T10:15:30Z");
		}

		@Override
		public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
			if (input instanceof StringValue text) {
				Instant parsed = parse(text.getValue());
				if (parsed != null) {
					return parsed;
				}
			}
			throw new CoercingParseLiteralException("Expected an ISO-8601 date-time with zone, e.g. 2026-11-22T10:15:30Z");
		}

		private static @Nullable Instant parse(String text) {
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
	}
}
