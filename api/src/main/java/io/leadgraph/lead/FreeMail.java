package io.leadgraph.lead;

import java.util.Set;

/** Email domains of free mail providers: they say nothing about a lead's company. */
public final class FreeMail {

	private static final Set<String> DOMAINS = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
			"outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "proton.me",
			"protonmail.com", "mail.com", "yandex.ru");

	private FreeMail() {
	}

	/** Whether the domain (lower case) is a free mail provider's. */
	public static boolean isFreeMail(String domain) {
		return DOMAINS.contains(domain);
	}

	/** The domain part of a normalised email, empty when there is none. */
	public static String domainOf(String email) {
		int at = email.lastIndexOf('@');
		return at < 0 ? "" : email.substring(at + 1);
	}
}
