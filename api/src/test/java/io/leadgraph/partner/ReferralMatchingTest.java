package io.leadgraph.partner;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReferralMatchingTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "null", value = { "Acme Inc.|acme", "ACME, Inc|acme", "Acme LLC|acme",
			"Acme Ltd|acme", "Acme GmbH|acme", "Acme S.A.|acme", "Müller & Söhne GmbH|muller sohne",
			"The Acme Company|the acme", "  acme  |acme", "Inc.|null", "Globex Corporation|globex" })
	void companyNamesCompareWithoutCasePunctuationAccentsOrLegalForm(String name, String expected) {
		assertThat(ReferralMatching.companyName(name)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "null", value = { "www.Acme.com|acme.com", "acme.com|acme.com",
			"https://www.acme.com/about|acme.com", "gmail.com|null", "  |null", "null|null" })
	void domainsAreLowerCaseWithoutWwwAndFreeMailIsNoCompany(String domain, String expected) {
		assertThat(ReferralMatching.domain(domain)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "null", value = {
			"Jane@Acme.com|null|null|domain:acme.com,email:jane@acme.com",
			"jane@gmail.com|www.acme.com|Acme Inc|domain:acme.com,email:jane@gmail.com,name:acme",
			"jane@acme.de|acme.com|Acme GmbH|domain:acme.com,domain:acme.de,email:jane@acme.de,name:acme",
			"jane@gmail.com|null|null|email:jane@gmail.com",
			" JANE@GMAIL.COM |gmail.com|LLC|email:jane@gmail.com" })
	void aReferralClaimsTheContactTheBusinessDomainsAndTheNameInOrder(String email, String domain, String name,
			String keys) {
		assertThat(ReferralMatching.registrationKeys(email, domain, name)).containsExactly(keys.split(","));
	}
}
