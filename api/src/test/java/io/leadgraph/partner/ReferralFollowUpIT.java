package io.leadgraph.partner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.MutableClock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What follows a referral, through the API on an injected clock: recall when sales does not accept
 * the lead in time, expiry at the end of protection (each an event, each once), the partner's masked
 * event stream, and lead ids that answer as unknown to partners.
 */
@TestPropertySource(properties = "leadgraph.partner.timer-interval=50ms")
@Import(MutableClock.InContext.class)
class ReferralFollowUpIT extends ReferralTestSupport {

	static final String EVENTS = """
			subscription($filter: LeadEventFilter, $after: String) {
			  leadEvents(filter: $filter, after: $after) { eventId cursor leadId seq type occurredAt actor payload } }""";

	/** Protection two days, recall one: the clock moves a day at a time. */
	static final Duration RECALL = Duration.ofDays(1);

	static final Duration PROTECTION = Duration.ofDays(2);

	@Autowired
	MutableClock clock;

	@Autowired
	MongoTemplate mongo;

	private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

	private final List<Disposable> subscriptions = new ArrayList<>();

	private Instant start;

	@BeforeEach
	void shortWindows() {
		start = Instant.now();
		clock.set(start);
		savePartner("partner-acme", "ACTIVE", 2, 1);
		savePartner("partner-globex", "ACTIVE", 90, 30);
	}

	@AfterEach
	void close() {
		subscriptions.forEach(Disposable::dispose);
		sockets.forEach(socket -> socket.stop().block(Duration.ofSeconds(5)));
	}

	@Test
	void referralsSalesDoesNotAcceptAreRecalledAndProtectionExpiresUnlessWonOrLost() {
		String run = run();
		String recalled = leadOf(submit(ACME, referral("idle-" + run, "idle@" + domain(), "Idle " + run)));
		String accepted = leadOf(submit(ACME, referral("taken-" + run, "taken@" + domain(), "Taken " + run)));
		String won = leadOf(submit(ACME, referral("won-" + run, "won@" + domain(), "Won " + run)));
		String lost = leadOf(submit(ACME, referral("lost-" + run, "lost@" + domain(), "Lost " + run)));
		move(accepted, "MQL");
		move(accepted, "SQL");
		move(accepted, "RECYCLED"); // accepted once is enough: not recalled
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(won, stage);
		}
		move(lost, "DISQUALIFIED");

		clock.set(start.plus(RECALL).minusSeconds(5));
		pause();
		assertThat(eventTypes(recalled)).doesNotContain("REFERRAL_RECALLED");

		clock.set(start.plus(RECALL).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(recalled).contains("REFERRAL_RECALLED"));
		pause();
		assertThat(eventTypes(recalled)).filteredOn("REFERRAL_RECALLED"::equals).hasSize(1);
		for (String lead : List.of(accepted, won, lost)) {
			assertThat(eventTypes(lead)).doesNotContain("REFERRAL_RECALLED");
		}
		Map<String, Object> recall = events(recalled).getLast();
		assertThat(recall).containsEntry("type", "REFERRAL_RECALLED").containsEntry("actor", "system:referrals");
		assertThat(payload(recall)).containsOnlyKeys("referralId", "partnerId", "reference", "recallAt")
			.containsEntry("partnerId", "partner-acme")
			.containsEntry("reference", "idle-" + run);
		assertThat(statuses(run)).containsExactly("idle-" + run + " RECALLED", "lost-" + run + " LOST",
				"taken-" + run + " IN_REVIEW", "won-" + run + " WON");

		clock.set(start.plus(PROTECTION).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> eventTypes(recalled).contains("REFERRAL_EXPIRED") && eventTypes(accepted).contains("REFERRAL_EXPIRED"));
		pause();
		assertThat(eventTypes(recalled)).filteredOn("REFERRAL_EXPIRED"::equals).hasSize(1);
		assertThat(eventTypes(won)).doesNotContain("REFERRAL_EXPIRED");
		assertThat(eventTypes(lost)).doesNotContain("REFERRAL_EXPIRED");
		assertThat(statuses(run)).containsExactly("idle-" + run + " EXPIRED", "lost-" + run + " LOST",
				"taken-" + run + " EXPIRED", "won-" + run + " WON");

		String idleDomain = ((String) lead(recalled).get("email")).substring("idle@".length());
		assertThat(submit(GLOBEX, referral("after-" + run, "next@" + idleDomain, "Idle " + run)))
			.as("an expired registration no longer protects the company")
			.containsEntry("__typename", "ReferralAccepted");
	}

	@Test
	void partnersFollowOnlyTheirReferralsStatusesWithEverythingElseMasked() {
		String run = run();
		String after = cursorOfLastEvent(createLead("before-" + run + "@" + domain()));
		List<Map<String, Object>> acme = follow(ACME, Map.of(), after);
		List<Map<String, Object>> globex = follow(GLOBEX, Map.of(), after);

		String closed = leadOf(submit(ACME, referral("closed-" + run, "closed@" + domain(), "Closed " + run)));
		String idle = leadOf(submit(ACME, referral("idle-" + run, "idle@" + domain(), "Idle " + run)));
		String theirs = leadOf(submit(GLOBEX, referral("theirs-" + run, "theirs@" + domain(), "Theirs " + run)));
		String unrelated = createLead("other-" + run + "@" + domain());
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(closed, stage); // SQL → OPPORTUNITY leaves the status as it is: no event
		}
		move(theirs, "MQL");
		move(unrelated, "MQL");
		as("demo-marketing")
			.document("mutation($id: ID!) { updateLead(input: {id: $id, title: \"CFO\"}) { __typename } }")
			.variable("id", idle)
			.execute();
		clock.set(start.plus(RECALL).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(idle).contains("REFERRAL_RECALLED"));
		clock.set(start.plus(PROTECTION).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(idle).contains("REFERRAL_EXPIRED"));

		await().atMost(Duration.ofSeconds(10)).until(() -> acme.size() >= 7 && globex.size() >= 2);
		pause();
		assertThat(acme).extracting(event -> event.get("leadId") + " " + payload(event).get("status")).containsExactly(
				closed + " SUBMITTED", idle + " SUBMITTED", closed + " IN_REVIEW", closed + " ACCEPTED_BY_SALES",
				closed + " WON", idle + " RECALLED", idle + " EXPIRED");
		assertThat(globex).extracting(event -> event.get("leadId") + " " + payload(event).get("status"))
			.containsExactly(theirs + " SUBMITTED", theirs + " IN_REVIEW");

		List<Map<String, Object>> all = new ArrayList<>(acme);
		all.addAll(globex);
		assertThat(all).allSatisfy(event -> {
			assertThat(event).containsEntry("type", "REFERRAL_STATUS_CHANGED")
				.containsEntry("actor", "leadgraph")
				.containsEntry("seq", 0);
			assertThat(payload(event)).containsOnlyKeys("referralId", "reference", "status", "protectedUntil");
		});
		// all but the cursors (opaque, they could hold any letters)
		String delivered = all.stream()
			.map(event -> event.entrySet().stream().filter(entry -> !entry.getKey().equals("cursor")).toList())
			.toList()
			.toString();
		for (String masked : List.of("partnerId", "partner-acme", "partner-globex", "demo-", "system:", "@",
				"Met at the partner summit", "score", "stage", "reason", "MQL", "OPPORTUNITY", "CUSTOMER", "RECYCLED",
				"title", "CFO", unrelated)) {
			assertThat(delivered).as("masked: " + masked).doesNotContain(masked);
		}
		assertThat(acme.toString()).doesNotContain(theirs);
		assertThat(globex.toString()).doesNotContain(closed).doesNotContain(idle);

		// resuming after the third event: the rest, once, though the referrals were accepted before the cursor
		List<Map<String, Object>> resumed = follow(ACME, Map.of(), (String) acme.get(2).get("cursor"));
		await().atMost(Duration.ofSeconds(10)).until(() -> resumed.size() >= 4);
		pause();
		assertThat(resumed).isEqualTo(acme.subList(3, 7));

		List<Map<String, Object>> oneLead = follow(ACME, Map.of("leadIds", List.of(idle, theirs)), after);
		await().atMost(Duration.ofSeconds(10)).until(() -> oneLead.size() >= 3);
		pause();
		assertThat(oneLead).extracting(event -> payload(event).get("status"))
			.containsExactly("SUBMITTED", "RECALLED", "EXPIRED");
	}

	@Test
	void aLeadRegisteredAgainAfterAnExpiryReplaysAsItWasDeliveredLive() {
		String run = run();
		String domain = domain();
		String after = cursorOfLastEvent(createLead("before-" + run + "@" + domain()));
		List<Map<String, Object>> live = follow(ACME, Map.of(), after);
		String lead = leadOf(submit(ACME, referral("first-" + run, "x@" + domain, "Again " + run)));
		move(lead, "MQL");
		clock.set(start.plus(PROTECTION).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(lead).contains("REFERRAL_EXPIRED"));
		assertThat(leadOf(submit(ACME, referral("second-" + run, "x@" + domain, "Again " + run)))).isEqualTo(lead);
		move(lead, "SQL");

		List<String> expected = List.of("first-" + run + " SUBMITTED", "first-" + run + " IN_REVIEW",
				"first-" + run + " EXPIRED", "second-" + run + " IN_REVIEW", "second-" + run + " ACCEPTED_BY_SALES");
		await().atMost(Duration.ofSeconds(10)).until(() -> statuses(live, lead).size() >= expected.size());
		List<Map<String, Object>> replay = follow(ACME, Map.of(), after);
		await().atMost(Duration.ofSeconds(10)).until(() -> statuses(replay, lead).size() >= expected.size());
		pause();
		assertThat(statuses(live, lead)).isEqualTo(expected);
		assertThat(statuses(replay, lead)).isEqualTo(expected);
	}

	@Test
	void afterItsProtectionEndedAReferralLearnsNothingMoreOfItsLead() {
		String run = run();
		String domain = domain();
		String after = cursorOfLastEvent(createLead("before-" + run + "@" + domain()));
		List<Map<String, Object>> acme = follow(ACME, Map.of(), after);
		String lead = leadOf(submit(ACME, referral("acme-" + run, "y@" + domain, "Lapsed " + run)));
		clock.set(start.plus(PROTECTION).plusSeconds(60));
		await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(lead).contains("REFERRAL_EXPIRED"));
		assertThat(leadOf(submit(GLOBEX, referral("globex-" + run, "y@" + domain, "Lapsed " + run)))).isEqualTo(lead);
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY", "CUSTOMER")) {
			move(lead, stage);
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> statuses(acme, lead).size() >= 2);
		pause();
		assertThat(statuses(acme, lead)).containsExactly("acme-" + run + " SUBMITTED", "acme-" + run + " EXPIRED");
		assertThat(myReferrals(ACME, Map.of("references", List.of("acme-" + run)), 10, null))
			.extracting(node -> node.get("status")).containsExactly("EXPIRED");
		assertThat(myReferrals(GLOBEX, Map.of("references", List.of("globex-" + run)), 10, null))
			.extracting(node -> node.get("status")).containsExactly("WON");
	}

	@Test
	void aRetryTakingOverAReferralWhoseDeciderDiedAfterChoosingItsLeadFinishesThatAcceptance() {
		String run = run();
		Map<String, Object> input = referral("crash-" + run, "z@" + domain(), "Crash " + run);
		Map<String, Object> accepted = submit(ACME, input);
		String lead = leadOf(accepted);
		String after = cursorOfLastEvent(lead);
		List<Map<String, Object>> acme = follow(ACME, Map.of(), after);
		// as if the deciding instance died after recording REFERRAL_ACCEPTED, before storing the outcome
		mongo.updateFirst(Query.query(Criteria.where("key").is("partner-acme\u001f" + "crash-" + run)),
				new Update().set("state", "PROCESSING")
					.set("claimedAt", clock.instant().minusSeconds(60))
					.unset("recallAt")
					.unset("timerAt"),
				Referral.class);
		for (String stage : List.of("MQL", "SQL", "OPPORTUNITY")) {
			move(lead, stage); // an open opportunity would refuse a new referral; this one was accepted
		}

		assertThat(submit(ACME, input)).isEqualTo(accepted);
		move(lead, "CUSTOMER");
		await().atMost(Duration.ofSeconds(10)).until(() -> statuses(acme, lead).size() >= 3);
		pause();
		assertThat(statuses(acme, lead)).containsExactly("crash-" + run + " IN_REVIEW",
				"crash-" + run + " ACCEPTED_BY_SALES", "crash-" + run + " WON");
		assertThat(eventTypes(lead)).filteredOn("REFERRAL_ACCEPTED"::equals).hasSize(1);
		assertThat(eventTypes(lead)).doesNotContain("REFERRAL_CONFLICT");
	}

	private static List<String> statuses(List<Map<String, Object>> events, String lead) {
		return events.stream()
			.filter(event -> lead.equals(event.get("leadId")))
			.map(event -> payload(event).get("reference") + " " + payload(event).get("status"))
			.toList();
	}

	@Test
	void partnersMayNotFilterTheirEventsByWhatWouldRevealOtherLeadsNorFollowThemWhenSuspended() {
		for (Map<String, Object> filter : List.<Map<String, Object>>of(Map.of("ownerIds", List.of("demo-sales")),
				Map.of("toStages", List.of("SQL")), Map.of("sources", List.of("PARTNER")))) {
			assertThat(refusal(filter)).as(filter.toString()).containsExactly("BAD_REQUEST NOT_ALLOWED");
		}
		savePartner("partner-acme", "SUSPENDED", 2, 1);
		assertThat(refusal(Map.of())).containsExactly("FORBIDDEN null");
	}

	private List<String> refusal(Map<String, Object> filter) {
		var events = GraphQlSockets.socket(port, token(ACME))
			.document(EVENTS)
			.variable("filter", filter)
			.executeSubscription()
			.toFlux();
		try {
			events.blockFirst(Duration.ofSeconds(10));
		}
		catch (SubscriptionErrorException refused) {
			return refused.getErrors()
				.stream()
				.map(error -> error.getErrorType() + " " + error.getExtensions().get("code"))
				.toList();
		}
		throw new AssertionError("not refused");
	}

	@Test
	void toPartnersEveryLeadIdAnswersAsUnknownAndTheirOwnAreFoundAsReferrals() {
		String run = run();
		String mine = leadOf(submit(ACME, referral("mine-" + run, "mine@" + domain(), "Mine " + run)));
		String theirs = leadOf(submit(GLOBEX, referral("theirs-" + run, "theirs@" + domain(), "Theirs " + run)));
		String nobodys = createLead("nobody-" + run + "@" + domain());

		for (String id : List.of(mine, theirs, nobodys, new ObjectId().toHexString(), "not-an-id")) {
			as(ACME).document("query($id: ID!) { lead(id: $id) { id email score { total } } }")
				.variable("id", id)
				.execute()
				.errors()
				.verify()
				.path("lead")
				.valueIsNull();
		}
		assertThat(myReferralLeads(Map.of("leadIds", List.of(theirs, nobodys)))).isEmpty();
		assertThat(myReferralLeads(Map.of("leadIds", List.of(mine, theirs)))).containsExactly(mine);
		assertThat(lead(mine)).as("others still see the lead").containsEntry("id", mine);
	}

	private List<String> myReferralLeads(Map<String, Object> filter) {
		return as(ACME).document("query($filter: MyReferralsFilter) { myReferrals(filter: $filter) { edges { node { lead { id } } } } }")
			.variable("filter", filter)
			.execute()
			.path("myReferrals.edges[*].node.lead.id")
			.entityList(String.class)
			.get();
	}

	/** The partner's referrals of this run as "reference STATUS", by reference. */
	private List<String> statuses(String run) {
		return myReferrals(ACME, Map.of(), 100, null).stream()
			.filter(node -> ((String) node.get("reference")).endsWith(run))
			.map(node -> node.get("reference") + " " + node.get("status"))
			.sorted()
			.toList();
	}

	private List<Map<String, Object>> follow(String client, Map<String, Object> filter, String after) {
		WebSocketGraphQlTester socket = GraphQlSockets.socket(port, token(client));
		sockets.add(socket);
		List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
		subscriptions.add(socket.document(EVENTS)
			.variable("filter", filter)
			.variable("after", after)
			.executeSubscription()
			.toFlux()
			.map(response -> response.path("leadEvents").entity(MAP).get())
			.subscribe(received::add));
		return received;
	}

	private List<Map<String, Object>> events(String leadId) {
		return as("demo-marketing")
			.document("query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}, first: 100) { edges { node { type actor payload } } } }")
			.variable("ids", List.of(leadId))
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(MAP)
			.get();
	}

	private Map<String, Object> lead(String id) {
		return as("demo-marketing").document("query($id: ID!) { lead(id: $id) { id email } }")
			.variable("id", id)
			.execute()
			.path("lead")
			.entity(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> payload(Map<String, Object> event) {
		return (Map<String, Object>) event.get("payload");
	}

	@SuppressWarnings("unchecked")
	private static String leadOf(Map<String, Object> accepted) {
		assertThat(accepted).containsEntry("__typename", "ReferralAccepted");
		return (String) ((Map<String, Object>) Objects.requireNonNull(accepted.get("lead"))).get("id");
	}

	private static String run() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** Long enough for a few timer rounds (50 ms) and a delivery. */
	private static void pause() {
		try {
			Thread.sleep(400);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
