package io.leadgraph.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.leadgraph.webhook.WebhookTargets.RefusedTarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTargetsTest {

	private final WebhookTargets targets = new WebhookTargets(false);

	@ParameterizedTest
	@CsvSource({ "http://127.0.0.1:8080/hook, PRIVATE_TARGET", "http://localhost/hook, PRIVATE_TARGET",
			"http://10.1.2.3/hook, PRIVATE_TARGET", "http://192.168.0.10/hook, PRIVATE_TARGET",
			"http://172.16.5.5/hook, PRIVATE_TARGET", "http://169.254.169.254/latest/meta-data, PRIVATE_TARGET",
			"http://100.64.0.1/hook, PRIVATE_TARGET", "'http://[::1]/hook', PRIVATE_TARGET",
			"'http://[fd00::1]/hook', PRIVATE_TARGET", "http://0.0.0.0/hook, PRIVATE_TARGET",
			"ftp://example.com/hook, INVALID_URL", "file:///etc/passwd, INVALID_URL",
			"http://user:secret@93.184.216.34/hook, INVALID_URL", "not a url, INVALID_URL" })
	void internalAddressesAndOtherSchemesAreRefused(String url, String code) {
		assertThatThrownBy(() -> targets.check(url)).isInstanceOfSatisfying(RefusedTarget.class,
				refused -> assertThat(refused.code).isEqualTo(code));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://93.184.216.34/hooks/leadgraph", "http://8.8.8.8:8080/hook" })
	void publicAddressesAreAccepted(String url) throws RefusedTarget {
		assertThat(targets.check(url).toString()).isEqualTo(url);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9999/hook", "http://localhost/hook" })
	void theDevSettingAllowsLocalReceivers(String url) throws RefusedTarget {
		assertThat(new WebhookTargets(true).check(url).toString()).isEqualTo(url);
	}
}
