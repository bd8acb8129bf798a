package io.leadgraph.lead;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Company names in comparable form: lower case, without accents, punctuation and legal suffixes
 * (Inc, LLC, Ltd, GmbH, SA, …), so that "ACME, Inc." and "Acme" are one company. Leads are findable
 * by it, and partners' registrations are keyed by it.
 */
public final class CompanyNames {

	private static final Set<String> LEGAL_SUFFIXES = Set.of("inc", "incorporated", "llc", "ltd", "limited", "gmbh",
			"ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "corp", "corporation", "co", "company", "oy",
			"ab", "as", "kg", "pty", "pte", "kk", "sl");

	private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

	private static final Pattern MARKS = Pattern.compile("\\p{M}+");

	private CompanyNames() {
	}

	/** The name in comparable form, or null when nothing but a legal form is left. */
	public static @Nullable String normalise(@Nullable String name) {
		if (name == null) {
			return null;
		}
		// dotted abbreviations are one word: S.A. is SA
		String plain = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD)).replaceAll("").replace(".", "");
		List<String> words = List.of(NOT_WORD.split(plain.toLowerCase(Locale.ROOT).strip()));
		int end = words.size();
		while (end > 0 && (words.get(end - 1).isEmpty() || LEGAL_SUFFIXES.contains(words.get(end - 1)))) {
			end--;
		}
		String joined = String.join(" ", words.subList(0, end)).strip();
		return joined.isEmpty() ? null : joined;
	}
}
