package io.leadgraph.lead;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadInputs.UpdateLeadInput;
import io.leadgraph.support.InputProblems;

import org.springframework.graphql.data.ArgumentValue;

/**
 * Normalises and validates lead input. Returns normalised copies of the inputs; collects every
 * problem with its field path and throws them together.
 */
final class LeadInputRules {

	static final int MAX_ATTRIBUTES = 50;

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$");

	private static final Pattern DOMAIN = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.[a-z]{2,63}$");

	private static final Pattern PHONE = Pattern.compile("^[0-9+().\\-\\s/x]*$");

	private static final Pattern ATTRIBUTE_KEY = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,63}$");

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	private LeadInputRules() {
	}

	static String normaliseEmail(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	/** {@code https://www.Acme.com/about} → {@code acme.com}. */
	static String normaliseDomain(String domain) {
		String value = domain.strip().toLowerCase(Locale.ROOT);
		value = value.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
		int end = indexOfAny(value, "/?#:");
		if (end >= 0) {
			value = value.substring(0, end);
		}
		if (value.startsWith("www.")) {
			value = value.substring(4);
		}
		return value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
	}

	static String normaliseCountry(String country) {
		return country.strip().toUpperCase(Locale.ROOT);
	}

	static CreateLeadInput create(CreateLeadInput input) {
		var problems = new InputProblems();
		String email = email(problems, input.email());
		String firstName = text(problems, "input.firstName", input.firstName(), 100);
		String lastName = text(problems, "input.lastName", input.lastName(), 100);
		String title = text(problems, "input.title", input.title(), 150);
		String phone = phone(problems, input.phone());
		CompanyInput company = input.company() == null ? null : company(problems, input.company());
		Owner owner = input.owner() == null ? null : owner(problems, input.owner());
		Map<String, @Nullable Object> attributes = input.attributes() == null ? null
				: attributes(problems, input.attributes(), false);
		problems.throwIfAny();
		return new CreateLeadInput(email, firstName, lastName, title, phone, company,
				input.source() == null ? LeadSource.INBOUND : input.source(), owner, attributes);
	}

	static UpdateLeadInput update(UpdateLeadInput input) {
		var problems = new InputProblems();
		ArgumentValue<String> email = input.email();
		if (email.isPresent()) {
			email = ArgumentValue.ofNullable(email(problems, email.value()));
		}
		else if (!email.isOmitted()) {
			problems.add("input.email", "REQUIRED", "cannot be cleared");
		}
		if (!input.source().isOmitted() && !input.source().isPresent()) {
			problems.add("input.source", "REQUIRED", "cannot be cleared");
		}
		var normalised = new UpdateLeadInput(input.id(), input.expectedVersion(), email,
				text(problems, "input.firstName", input.firstName(), 100),
				text(problems, "input.lastName", input.lastName(), 100),
				text(problems, "input.title", input.title(), 150),
				input.phone().isPresent() ? ArgumentValue.ofNullable(phone(problems, input.phone().value()))
						: input.phone(),
				input.company().isPresent() ? ArgumentValue.ofNullable(company(problems, input.company().value()))
						: input.company(),
				input.source(),
				input.owner().isPresent() ? ArgumentValue.ofNullable(owner(problems, input.owner().value()))
						: input.owner(),
				input.attributes().isPresent()
						? ArgumentValue.ofNullable(attributes(problems, input.attributes().value(), true))
						: input.attributes());
		problems.throwIfAny();
		return normalised;
	}

	static @Nullable String reason(InputProblems problems, @Nullable String reason) {
		return text(problems, "input.reason", reason, 500);
	}

	private static String email(InputProblems problems, @Nullable String raw) {
		if (raw == null || raw.isBlank()) {
			problems.add("input.email", "REQUIRED", "is required");
			return "";
		}
		String email = normaliseEmail(raw);
		if (email.length() > 254) {
			problems.add("input.email", "TOO_LONG", "must be at most 254 characters");
		}
		else if (!EMAIL.matcher(email).matches()) {
			problems.add("input.email", "INVALID_EMAIL", "is not an email address");
		}
		return email;
	}

	private static @Nullable String text(InputProblems problems, String field, @Nullable String raw, int max) {
		if (raw == null) {
			return null;
		}
		String value = raw.strip();
		problems.maxLength(field, value, max);
		return value.isEmpty() ? null : value;
	}

	private static ArgumentValue<String> text(InputProblems problems, String field, ArgumentValue<String> raw,
			int max) {
		return raw.isPresent() ? ArgumentValue.ofNullable(text(problems, field, raw.value(), max)) : raw;
	}

	private static @Nullable String phone(InputProblems problems, @Nullable String raw) {
		String phone = text(problems, "input.phone", raw, 40);
		if (phone != null && !PHONE.matcher(phone).matches()) {
			problems.add("input.phone", "INVALID_PHONE", "may contain only digits, spaces and + ( ) . - / x");
		}
		return phone;
	}

	private static CompanyInput company(InputProblems problems, CompanyInput company) {
		ArgumentValue<String> domain = company.domain();
		if (domain.isPresent() && !domain.value().isBlank()) {
			String value = normaliseDomain(domain.value());
			if (!DOMAIN.matcher(value).matches()) {
				problems.add("input.company.domain", "INVALID_DOMAIN", "is not a web domain such as acme.com");
			}
			domain = ArgumentValue.ofNullable(value);
		}
		else if (domain.isPresent()) {
			domain = ArgumentValue.ofNullable(null);
		}
		ArgumentValue<Integer> employees = company.employees();
		if (employees.isPresent() && (employees.value() < 0 || employees.value() > 10_000_000)) {
			problems.add("input.company.employees", "OUT_OF_RANGE", "must be between 0 and 10000000");
		}
		ArgumentValue<String> country = company.country();
		if (country.isPresent() && !country.value().isBlank()) {
			String value = normaliseCountry(country.value());
			if (!COUNTRIES.contains(value)) {
				problems.add("input.company.country", "INVALID_COUNTRY", "must be an ISO 3166-1 alpha-2 code such as DE");
			}
			country = ArgumentValue.ofNullable(value);
		}
		else if (country.isPresent()) {
			country = ArgumentValue.ofNullable(null);
		}
		return new CompanyInput(text(problems, "input.company.name", company.name(), 200), domain, employees,
				text(problems, "input.company.industry", company.industry(), 100), country);
	}

	private static Owner owner(InputProblems problems, Owner owner) {
		String id = owner.id().strip();
		if (id.isEmpty()) {
			problems.add("input.owner.id", "REQUIRED", "is required");
		}
		problems.maxLength("input.owner.id", id, 200);
		return new Owner(id, text(problems, "input.owner.name", owner.name(), 200));
	}

	/** Flat attributes; null values (meaning "remove this key") only in merges. */
	private static Map<String, @Nullable Object> attributes(InputProblems problems,
			Map<String, @Nullable Object> attributes, boolean merge) {
		if (attributes.size() > MAX_ATTRIBUTES) {
			problems.add("input.attributes", "TOO_MANY_ATTRIBUTES", "at most " + MAX_ATTRIBUTES + " attributes");
			return Map.of();
		}
		Map<String, @Nullable Object> valid = new LinkedHashMap<>();
		attributes.forEach((key, value) -> {
			String field = "input.attributes." + key;
			if (!ATTRIBUTE_KEY.matcher(key).matches()) {
				problems.add("input.attributes", "INVALID_KEY",
						"keys start with a letter and hold at most 64 letters, digits, _ and -");
			}
			else if (value == null ? !merge
					: !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
				problems.add(field, "INVALID_VALUE", "must be a string, number or boolean");
			}
			else if (value instanceof String text && text.length() > 1000) {
				problems.add(field, "TOO_LONG", "must be at most 1000 characters");
			}
			else if (value instanceof Number number) {
				Number stored = storedNumber(number);
				if (stored == null) {
					problems.add(field, "OUT_OF_RANGE", "must be a finite number within 64-bit range");
				}
				else {
					valid.put(key, stored);
				}
			}
			else {
				valid.put(key, value);
			}
		});
		return valid;
	}

	/**
	 * Numbers as the store keeps them: whole numbers as long, others as double, so a value sent again
	 * (as literal or variable, int or big) compares equal to what is stored. Null when not storable.
	 */
	private static @Nullable Number storedNumber(Number number) {
		if (number instanceof Long || number instanceof Integer || number instanceof Short
				|| number instanceof Byte) {
			return number.longValue();
		}
		if (number instanceof BigInteger big) {
			return big.bitLength() < 64 ? big.longValue() : null;
		}
		BigDecimal decimal = number instanceof BigDecimal exact ? exact : BigDecimal.valueOf(number.doubleValue());
		if (decimal.stripTrailingZeros().scale() <= 0) {
			return storedNumber(decimal.toBigInteger());
		}
		double value = decimal.doubleValue();
		return Double.isFinite(value) ? value : null;
	}

	private static int indexOfAny(String value, String characters) {
		for (int i = 0; i < value.length(); i++) {
			if (characters.indexOf(value.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}
}
