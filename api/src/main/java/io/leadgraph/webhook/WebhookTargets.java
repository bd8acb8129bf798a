package io.leadgraph.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which URLs deliveries may go to: http(s) only, and never to loopback, link-local, private or other
 * internal addresses (server-side request forgery), checked when an endpoint is saved and again, on
 * the resolved address, before every attempt. {@code leadgraph.webhooks.allow-private-targets} lifts
 * the address rule for development and tests.
 */
@Component
class WebhookTargets {

	private final boolean allowPrivate;

	WebhookTargets(@Value("${leadgraph.webhooks.allow-private-targets:false}") boolean allowPrivate) {
		this.allowPrivate = allowPrivate;
	}

	/** The URL, or a reason it is refused (a short text for clients, never a stack trace). */
	URI check(String url) throws RefusedTarget {
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw new RefusedTarget("INVALID_URL", "is not a URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !scheme.equals("http")) {
			throw new RefusedTarget("INVALID_URL", "must be an http or https URL");
		}
		if (uri.getHost() == null || uri.getUserInfo() != null) {
			throw new RefusedTarget("INVALID_URL", "must name a host and carry no credentials");
		}
		if (!allowPrivate) {
			InetAddress[] addresses;
			try {
				addresses = InetAddress.getAllByName(uri.getHost());
			}
			catch (UnknownHostException ex) {
				throw new RefusedTarget("UNRESOLVABLE_HOST", "host does not resolve");
			}
			for (InetAddress address : addresses) {
				if (isInternal(address)) {
					throw new RefusedTarget("PRIVATE_TARGET", "resolves to a loopback, private or link-local address");
				}
			}
		}
		return uri;
	}

	static boolean isInternal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			return (bytes[0] & 0xfe) == 0xfc; // unique local fc00::/7
		}
		int first = bytes[0] & 0xff;
		int second = bytes[1] & 0xff;
		return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
				|| (first == 169 && second == 254); // cloud metadata lives here
	}

	/** A URL deliveries may not go to, with a code. */
	static final class RefusedTarget extends Exception {

		final String code;

		RefusedTarget(String code, String message) {
			super(message, null, false, false);
			this.code = code;
		}
	}
}
