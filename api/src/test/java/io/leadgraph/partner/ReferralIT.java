package io.leadgraph.partner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

/** Referrals through the GraphQL API with the demo partners' real tokens. */
class ReferralIT extends ReferralTestSupport {

	@BeforeEach
	void partners() {
		savePartner("partner-acme", "ACTIVE", 90);
		savePartner("partner-globex", "ACTIVE", 60);
	}

	@Test
	void aReferralRegistersTheCompanyAndARetryAnswersTheSameOutcome() {
		String domain = domain();
		Map<String, Object> input = referral("ref-" + UUID.randomUUID(), "jane@" + domain, "Acme Rockets Inc");

		Instant before = Instant.now();
		Map<String, Object> accepted = submit(ACME, input);

		assertThat(accepted).containsEntry("__typename", "ReferralAccepted");
		Instant protectedUntil = Instant.parse((String) accepted.get("protectedUntil"));
		assertThat(protectedUntil).isBetween(before.plus(Duration.ofDays(90)), Instant.now().plus(Duration.ofDays(90)));
		@SuppressWarnings("unchecked")
		Map<String, Object> referral = (Map<String, Object>) accepted.get("referral");
		assertThat(referral).containsEntry("reference", input.get("reference")).containsEntry("status", "SUBMITTED");
		@SuppressWarnings("unchecked")
		String leadId = (String) ((Map<String, Object>) accepted.get("lead")).get("id");
		Map<String, Object> lead = as("demo-marketing").document("query($id: ID!) { lead(id: $id) { email source company { domain } } }")
			.variable("id", leadId)
			.execute()
			.path("lead")
			.entity(MAP)
			.get();
		assertThat(lead).containsEntry("email", "jane@" + domain).containsEntry("source", "PARTNER");
		assertThat(eventTypes(leadId)).contains("REFERRAL_ACCEPTED");

		assertThat(submit(ACME, input)).as("a retry").isEqualTo(accepted);
		assertThat(eventTypes(leadId).stream().filter("REFERRAL_ACCEPTED"::equals).count()).isEqualTo(1);

		Map<String, Object> reused = new HashMap<>(input);
		reused.put("email", "someone-else@" + domain);
		assertThat(submit(ACME, reused)).as("the reference with other data")
			.isEqualTo(Map.of("__typename", "ReferralRejected", "errors", List.of(Map.of("field", "input.reference",
					"code", "REFERENCE_REUSED",
					"message", "names an earlier referral with other data; a retry must send the same referral"))));
	}

	@Test
	void anotherPartnerMeetsTheRegistrationWithoutLearningWhoseItIs() {
		String domain = domain();
		Map<String, Object> first = submit(ACME, referral("a-" + UUID.randomUUID(), "jane@" + domain, "Initech"));
		assertThat(first).containsEntry("__typename", "ReferralAccepted");

		Map<String, Object> second = submit(GLOBEX, referral("g-" + UUID.randomUUID(), "bob@www." + domain, "Initech"));
		assertThat(second).containsOnlyKeys("__typename", "reason", "since")
			.containsEntry("__typename", "ReferralConflict")
			.containsEntry("reason", "ALREADY_REGISTERED");
		@SuppressWarnings("unchecked")
		Instant registered = Instant.parse((String) ((Map<String, Object>) first.get("referral")).get("submittedAt"));
		assertThat(Instant.parse((String) second.get("since"))).isCloseTo(registered,
				org.assertj.core.api.Assertions.within(Duration.ofSeconds(2)));

		Map<String, Object> again = submit(ACME, referral("a-" + UUID.randomUUID(), "ann@" + domain, "Initech"));
		assertThat(again).containsEntry("reason", "ALREADY_SUBMITTED");
	}

	@Test
	void companiesOnFreeMailMatchByTheirNormalisedNameAndContactsByTheirEmail() {
		String name = "Umbrella " + UUID.randomUUID().toString().substring(0, 6);
		String contact = "u1-" + UUID.randomUUID() + "@gmail.com";
		assertThat(submit(ACME, referral("a-" + UUID.randomUUID(), contact, name + " LLC")))
			.containsEntry("__typename", "ReferralAccepted");
		Map<String, Object> sameContact = referral("g-" + UUID.randomUUID(), contact.toUpperCase(), "Other Name");
		assertThat(submit(GLOBEX, sameContact)).containsEntry("reason", "ALREADY_REGISTERED");
		assertThat(submit(GLOBEX, referral("g-" + UUID.randomUUID(), "u2-" + UUID.randomUUID() + "@gmail.com",
				name.toUpperCase() + ", Inc.")))
			.containsEntry("reason", "ALREADY_REGISTERED");
		assertThat(submit(GLOBEX, referral("g-" + UUID.randomUUID(), "u3-" + UUID.randomUUID() + "@gmail.com",
				name + " Two Ltd")))
			.containsEntry("__typename", "ReferralAccepted");
	}

	@Test
	void customersAndOpenOpportunitiesAreNotReferrable() {
		String customerDomain = domain();
		String customer = createLead("buyer@" + customerDomain);
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(customer, stage);
		}
		String dealDomain = domain();
		String deal = createLead("deal@" + dealDomain);
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY")) {
			move(deal, stage);
		}

		assertThat(submit(ACME, referral("c-" + UUID.randomUUID(), "someone@" + customerDomain, "Big Buyer")))
			.containsEntry("reason", "EXISTING_CUSTOMER");
		assertThat(submit(ACME, referral("o-" + UUID.randomUUID(), "deal@" + dealDomain, "Deal Co")))
			.containsEntry("reason", "OPEN_OPPORTUNITY");
		assertThat(eventTypes(customer)).contains("REFERRAL_CONFLICT");
		assertThat(eventTypes(deal)).contains("REFERRAL_CONFLICT");

		// known only by name: a contact on free mail, the company without a domain
		String name = "Globodyne " + UUID.randomUUID().toString().substring(0, 6);
		String namedCustomer = as("demo-marketing")
			.document("mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }")
			.variable("input", Map.of("email", "cfo@" + domain(), "company", Map.of("name", name + " Holdings GmbH")))
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(namedCustomer, stage);
		}
		assertThat(submit(ACME, referral("n-" + UUID.randomUUID(), "n-" + UUID.randomUUID() + "@gmail.com",
				name.toUpperCase() + " HOLDINGS, Inc.")))
			.containsEntry("reason", "EXISTING_CUSTOMER");
	}

	@Test
	void anExistingLeadThatNobodyRegisteredIsRegisteredNotDuplicated() {
		String domain = domain();
		String existing = createLead("known@" + domain);
		Map<String, Object> accepted = submit(GLOBEX, referral("g-" + UUID.randomUUID(), "Known@" + domain, "Known Co"));
		assertThat(accepted).containsEntry("__typename", "ReferralAccepted").containsEntry("lead", Map.of("id", existing));
	}

	@Test
	void twoPartnersRacingForOneCompanyEndWithExactlyOneRegistration() throws Exception {
		for (int round = 0; round < 10; round++) {
			String domain = domain();
			CyclicBarrier start = new CyclicBarrier(2);
			try (ExecutorService racers = Executors.newFixedThreadPool(2)) {
				List<Future<Map<String, Object>>> outcomes = new ArrayList<>();
				for (String partner : List.of(ACME, GLOBEX)) {
					Map<String, Object> input = referral(partner + "-" + UUID.randomUUID(), partner + "@" + domain,
							"Race " + domain);
					outcomes.add(racers.submit(() -> {
						start.await();
						return submit(partner, input);
					}));
				}
				List<Object> kinds = new ArrayList<>();
				for (Future<Map<String, Object>> outcome : outcomes) {
					kinds.add(outcome.get().get("__typename"));
				}
				assertThat(kinds).containsExactlyInAnyOrder("ReferralAccepted", "ReferralConflict");
			}
		}
	}

	@Test
	void invalidReferralsAreRejectedWithEveryProblemAndStoreNothing() {
		String reference = "bad-" + UUID.randomUUID();
		Map<String, Object> bad = new HashMap<>(referral(reference, "not-an-email", "X"));
		bad.put("company", Map.of("name", "X", "country", "Germany"));
		Map<String, Object> rejected = submit(ACME, bad);
		assertThat(rejected).containsEntry("__typename", "ReferralRejected");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> errors = (List<Map<String, Object>>) rejected.get("errors");
		assertThat(errors).extracting(error -> error.get("field") + " " + error.get("code"))
			.contains("input.email INVALID_EMAIL");
		assertThat(submit(ACME, referral(reference, "fine@" + domain(), "Fine")))
			.as("nothing was stored under the reference").containsEntry("__typename", "ReferralAccepted");
	}

	@Test
	void partnersListTheirOwnReferralsWithACoarseStatusOnly() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<String> references = new ArrayList<>();
		List<String> leadIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String reference = "mine-" + run + "-" + i;
			Map<String, Object> accepted = submit(ACME, referral(reference, "c" + i + "@" + domain(), "Mine " + run + i));
			references.add(reference);
			@SuppressWarnings("unchecked")
			String leadId = (String) ((Map<String, Object>) accepted.get("lead")).get("id");
			leadIds.add(leadId);
		}
		submit(GLOBEX, referral("theirs-" + run, "t@" + domain(), "Theirs " + run));
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(leadIds.get(0), stage);
		}
		move(leadIds.get(1), "MQL");

		List<Map<String, Object>> mine = myReferrals(ACME, Map.of("references", references), 100, null);
		assertThat(mine).extracting(node -> node.get("reference")).containsExactly(references.get(2), references.get(1),
				references.get(0));
		assertThat(mine).extracting(node -> node.get("status")).containsExactly("SUBMITTED", "IN_REVIEW", "WON");
		assertThat(mine).allSatisfy(node -> assertThat(node).containsOnlyKeys("id", "reference", "status",
				"protectedUntil", "submittedAt"));
		assertThat(myReferrals(GLOBEX, Map.of("references", references), 100, null)).isEmpty();

		String firstCursor = as(ACME).document("query($filter: MyReferralsFilter) { myReferrals(filter: $filter, first: 2) { edges { cursor } } }")
			.variable("filter", Map.of("references", references))
			.execute()
			.path("myReferrals.edges[1].cursor")
			.entity(String.class)
			.get();
		assertThat(myReferrals(ACME, Map.of("references", references), 100, firstCursor))
			.extracting(node -> node.get("reference")).containsExactly(references.get(0));
	}

	@Test
	void onlyActiveKnownPartnersSubmit() {
		savePartner("partner-globex", "SUSPENDED", 60);
		for (String client : List.of(GLOBEX, "demo-marketing", "demo-sales", "demo-automation")) {
			as(client).document(SUBMIT)
				.variable("input", referral("x-" + UUID.randomUUID(), "x@" + domain(), "X"))
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
		}
		as(ACME).document("{ partners { id } }")
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
			.verify();
	}
}
