package io.leadgraph.partner;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.CompanyNames;
import io.leadgraph.lead.FreeMail;

/**
 * How referrals are matched to companies and leads: the email in lower case; the company's domain
 * in lower case without {@code www.} (a free-mail domain such as gmail.com says nothing about the
 * company and is ignored); the company name in lower case without accents, punctuation and legal
 * suffixes (Inc, LLC, Ltd, GmbH, SA, …). A referral registers all of them that it has, so another
 * partner's referral sharing any one (the contact, the domain, the name) conflicts.
 */
final class ReferralMatching {

	private ReferralMatching() {
	}

	static String email(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	/** The company's business domain, or null for none or a free-mail one. */
	static @Nullable String domain(@Nullable String domain) {
		if (domain == null || domain.isBlank()) {
			return null;
		}
		String normalised = domain.strip().toLowerCase(Locale.ROOT);
		normalised = normalised.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
		if (normalised.startsWith("www.")) {
			normalised = normalised.substring(4);
		}
		return normalised.isEmpty() || FreeMail.isFreeMail(normalised) ? null : normalised;
	}

	/** The name in comparable form ({@link CompanyNames}), or null when nothing but a legal form is left. */
	static @Nullable String companyName(@Nullable String name) {
		return CompanyNames.normalise(name);
	}

	/**
	 * The keys a referral registers, sorted (so racing referrals claim shared keys in the same order
	 * and one of them gets them all): the contact's email, the company's business domain and the
	 * email's (when business), and the company's normalised name.
	 */
	static List<String> registrationKeys(String email, @Nullable String companyDomain, @Nullable String companyName) {
		java.util.TreeSet<String> keys = new java.util.TreeSet<>();
		keys.add("email:" + email(email));
		String domain = domain(companyDomain);
		if (domain != null) {
			keys.add("domain:" + domain);
		}
		String emailDomain = domain(FreeMail.domainOf(email(email)));
		if (emailDomain != null) {
			keys.add("domain:" + emailDomain);
		}
		String name = companyName(companyName);
		if (name != null) {
			keys.add("name:" + name);
		}
		return List.copyOf(keys);
	}

	/** The normalised company name among the keys, if any. */
	static java.util.Optional<String> name(List<String> keys) {
		return keys.stream().filter(key -> key.startsWith("name:")).map(key -> key.substring("name:".length())).findFirst();
	}

	/** The business domains among the keys. */
	static List<String> domains(List<String> keys) {
		return keys.stream().filter(key -> key.startsWith("domain:")).map(key -> key.substring("domain:".length())).toList();
	}
}
