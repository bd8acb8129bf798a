package io.leadgraph.lead;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadInputs.UpdateLeadInput;
import io.leadgraph.support.InvalidInputException;

import org.springframework.graphql.data.ArgumentValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeadInputRulesTest {

	@ParameterizedTest
	@CsvSource({ "'  Jane.Doe@Example.COM ',jane.doe@example.com", "A@B.CO,a@b.co" })
	void emailsAreTrimmedAndLowerCased(String raw, String normalised) {
		assertThat(LeadInputRules.normaliseEmail(raw)).isEqualTo(normalised);
	}

	@ParameterizedTest
	@CsvSource({ "https://www.Acme.com/about,acme.com", "WWW.acme.co.uk,acme.co.uk", "acme.io:8443,acme.io",
			"http://shop.acme.de?x=1,shop.acme.de", "acme.com.,acme.com" })
	void domainsAreReducedToTheHostWithoutWww(String raw, String normalised) {
		assertThat(LeadInputRules.normaliseDomain(raw)).isEqualTo(normalised);
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "a@b", "a b@c.com", "@c.com", "a@@c.com", "a@-.c" })
	void malformedEmailsAreRefused(String email) {
		assertThatThrownBy(() -> LeadInputRules.create(create(email))).isInstanceOfSatisfying(
				InvalidInputException.class,
				ex -> assertThat(ex.problems()).singleElement().satisfies(problem -> {
					assertThat(problem.field()).isEqualTo("input.email");
					assertThat(problem.code()).isIn("INVALID_EMAIL");
				}));
	}

	@Test
	void aMissingEmailIsRequired() {
		assertThatThrownBy(() -> LeadInputRules.create(create("  "))).isInstanceOfSatisfying(
				InvalidInputException.class,
				ex -> assertThat(ex.problems()).extracting("code").containsExactly("REQUIRED"));
	}

	@Test
	void tooManyOrTooLongAttributesAreRefused() {
		Map<String, Object> many = new HashMap<>();
		for (int i = 0; i <= LeadInputRules.MAX_ATTRIBUTES; i++) {
			many.put("k" + i, i);
		}
		assertThatThrownBy(() -> LeadInputRules.create(create("a@b.co", many)))
			.isInstanceOfSatisfying(InvalidInputException.class,
					ex -> assertThat(ex.problems()).extracting("code").containsExactly("TOO_MANY_ATTRIBUTES"));
		assertThatThrownBy(() -> LeadInputRules.create(create("a@b.co", Map.of("note", "x".repeat(1001)))))
			.isInstanceOfSatisfying(InvalidInputException.class,
					ex -> assertThat(ex.problems()).extracting("field").containsExactly("input.attributes.note"));
		Map<String, Object> withNull = new HashMap<>();
		withNull.put("gone", null);
		assertThatThrownBy(() -> LeadInputRules.create(create("a@b.co", withNull)))
			.isInstanceOf(InvalidInputException.class);
	}

	@Test
	void blankTextBecomesAbsentAndSourceDefaultsToInbound() {
		CreateLeadInput valid = LeadInputRules.create(new CreateLeadInput("a@b.co", "  ", " Ann ", null, null,
				new CompanyInput(ArgumentValue.ofNullable(" Acme "), ArgumentValue.ofNullable(""),
						ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.ofNullable("gb")),
				null, null, null));
		assertThat(valid.firstName()).isNull();
		assertThat(valid.lastName()).isEqualTo("Ann");
		assertThat(valid.source()).isEqualTo(LeadSource.INBOUND);
		assertThat(valid.company().name().value()).isEqualTo("Acme");
		assertThat(valid.company().domain().isPresent()).isFalse();
		assertThat(valid.company().country().value()).isEqualTo("GB");
	}

	@Test
	void anUpdateCannotClearTheEmailOrSource() {
		var update = new UpdateLeadInput("id", null, ArgumentValue.ofNullable(null), ArgumentValue.omitted(),
				ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted(),
				ArgumentValue.ofNullable(null), ArgumentValue.omitted(), ArgumentValue.omitted());
		assertThatThrownBy(() -> LeadInputRules.update(update)).isInstanceOfSatisfying(InvalidInputException.class,
				ex -> assertThat(ex.problems()).extracting("field").containsExactly("input.email", "input.source"));
	}

	private static CreateLeadInput create(String email) {
		return create(email, null);
	}

	private static CreateLeadInput create(String email, Map<String, Object> attributes) {
		return new CreateLeadInput(email, null, null, null, null, null, null, null, attributes);
	}
}
