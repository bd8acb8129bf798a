package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing and sales decisions through the GraphQL API. Its own application context (and store):
 * routing rules route every MQL, which other tests do not expect.
 */
@TestPropertySource(properties = "leadgraph.handoff.sweep-interval=200ms")
class HandoffIT extends HandoffTestSupport {

	@Autowired
	RepPlaces places;

	@Autowired
	MongoTemplate mongo;

	@BeforeEach
	void noRules() {
		deleteRules();
	}

	@Test
	void aSweepCursorPastRetentionGoesOnFromWhatTheLogKeeps() {
		createLead(Map.of());
		// no log writer for longer than retention: the purge went past the sweep's cursor
		long cursor = awaitCursor(position -> position > 0);
		mongo.save(new Document("_id", "purge").append("purgedThrough", cursor + 1), "event_log_state");
		try {
			createLead(Map.of());
			createLead(Map.of());
			awaitCursor(position -> position > cursor + 1);
		}
		finally {
			mongo.remove(Query.query(Criteria.where("_id").is("purge")), "event_log_state");
		}
	}

	private long awaitCursor(LongPredicate until) {
		long[] position = new long[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			var stored = mongo.findById(HandoffRouter.RoutingCursor.ID, HandoffRouter.RoutingCursor.class);
			position[0] = stored == null ? 0 : stored.position();
			return until.test(position[0]);
		});
		return position[0];
	}

	@Test
	void weightedRoutingOfAHundredMqlsAtOnceFollowsTheWeightsExactly() throws Exception {
		String tag = tag();
		List<String> pool = List.of(rep(tag + "-a", Map.of("weight", 1)), rep(tag + "-b", Map.of("weight", 1)),
				rep(tag + "-c", Map.of("weight", 1)), rep(tag + "-d", Map.of("weight", 2)));
		rule(tag, Map.of("strategy", "WEIGHTED", "pool", pool));
		List<String> leads = IntStream.range(0, 100).mapToObj(i -> createLead(Map.of())).toList();

		try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
			List<Future<?>> moves = new ArrayList<>();
			leads.forEach(id -> moves.add(senders.submit(() -> moveToMql(id))));
			for (Future<?> move : moves) {
				move.get();
			}
		}

		Map<String, Map<String, Object>> byLead = awaitHandoffs(leads);
		Map<String, Long> perRep = byLead.values()
			.stream()
			.collect(Collectors.groupingBy(handoff -> (String) handoff.get("repId"), Collectors.counting()));
		assertThat(perRep).containsExactlyInAnyOrderEntriesOf(
				Map.of(pool.get(0), 20L, pool.get(1), 20L, pool.get(2), 20L, pool.get(3), 40L));
		byLead.forEach((leadId, handoff) -> {
			assertThat(handoff).containsEntry("status", "PENDING").containsEntry("sla", "ON_TRACK");
			assertThat(lead(handoff)).containsEntry("owner", Map.of("id", handoff.get("repId"),
					"name", "Rep " + handoff.get("repId")));
		});
		assertThat(reps(pool)).extracting(rep -> rep.get("openHandoffs")).containsExactly(20, 20, 20, 40);
	}

	@Test
	void turnsAreHandedOutOnceUnderConcurrency() throws Exception {
		String rule = tag();
		Map<Long, Boolean> taken = new ConcurrentHashMap<>();
		try (ExecutorService racers = Executors.newFixedThreadPool(8)) {
			List<Future<?>> runs = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				runs.add(racers.submit(() -> {
					for (int n = 0; n < 50; n++) {
						assertThat(taken.put(places.takeTurn(rule), true)).isNull();
					}
				}));
			}
			for (Future<?> run : runs) {
				run.get();
			}
		}
		assertThat(taken.keySet()).containsExactlyInAnyOrderElementsOf(
				IntStream.range(0, 400).mapToObj(Long::valueOf).toList());
	}

	@Test
	void anMqlGoesToItsRepAtOnceWithAnEventAndTheRepsSla() {
		String tag = tag();
		String rep = rep(tag, Map.of("team", "emea"));
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(rep), "responseWindow", "PT5M"));
		String lead = createLead(Map.of());

		Instant before = Instant.now();
		moveToMql(lead);
		Map<String, Object> handoff = awaitHandoff(lead);

		assertThat(handoff).containsEntry("status", "PENDING").containsEntry("repId", rep).containsEntry("ruleId", tag)
			.containsEntry("responseWindow", "PT5M").containsEntry("queue", null);
		Instant assigned = Instant.parse((String) handoff.get("assignedAt"));
		assertThat(assigned).isBetween(before, Instant.now());
		assertThat(Instant.parse((String) handoff.get("dueAt"))).isEqualTo(assigned.plus(Duration.ofMinutes(5)));
		assertThat(Instant.parse((String) handoff.get("atRiskAt"))).isEqualTo(assigned.plus(Duration.ofMinutes(4)));
		@SuppressWarnings("unchecked")
		Map<String, Object> repView = (Map<String, Object>) handoff.get("rep");
		assertThat(repView).containsEntry("team", "emea").containsEntry("openHandoffs", 1);

		Map<String, Object> assignedEvent = awaitEvent(lead, "HANDOFF_ASSIGNED");
		assertThat(assignedEvent).containsEntry("actor", "system:routing");
		@SuppressWarnings("unchecked")
		Map<String, Object> payload = (Map<String, Object>) assignedEvent.get("payload");
		assertThat(payload).containsEntry("handoffId", handoff.get("id")).containsEntry("repId", rep)
			.containsEntry("ruleId", tag).containsEntry("team", "emea").containsEntry("responseWindow", "PT5M");
	}

	@Test
	void routingSkipsRepsWhoAreInactiveAwayFullOrOutsideTheirTerritory() {
		String tag = tag();
		Instant now = Instant.now();
		String inactive = rep(tag + "-inactive", Map.of("active", false));
		String away = rep(tag + "-away", Map.of("outOfOffice",
				List.of(Map.of("from", now.minusSeconds(3600).toString(), "to", now.plusSeconds(3600).toString()))));
		String full = rep(tag + "-full", Map.of("capacity", 1));
		String german = rep(tag + "-de", Map.of("territories", Map.of("countries", List.of("de"))));
		String enterprise = rep(tag + "-ent", Map.of("territories", Map.of("segments", List.of("ENTERPRISE"))));
		String free = rep(tag + "-free", Map.of());
		rule(tag + "-first", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(full), "position", 1));
		String fullsLead = createLead(Map.of());
		moveToMql(fullsLead);
		assertThat(awaitHandoff(fullsLead)).containsEntry("repId", full);

		rule(tag, Map.of("strategy", "ROUND_ROBIN", "position", 2,
				"pool", List.of(inactive, away, full, german, enterprise, free)));
		List<String> french = IntStream.range(0, 3)
			.mapToObj(i -> createLead(Map.of("company", Map.of("name", "Petit", "country", "FR", "employees", 20))))
			.toList();
		french.forEach(this::moveToMql);

		assertThat(awaitHandoffs(french).values()).extracting(handoff -> handoff.get("repId"))
			.containsOnly(free);

		String german2 = createLead(Map.of("company", Map.of("name", "Groß", "country", "DE", "employees", 5000)));
		String big = createLead(Map.of("company", Map.of("name", "Big", "country", "US", "employees", 5000)));
		moveToMql(german2);
		moveToMql(big);
		assertThat(awaitHandoff(german2).get("repId")).isIn(german, enterprise, free);
		assertThat(awaitHandoff(big).get("repId")).isIn(enterprise, free);
	}

	@Test
	void whenNobodyFitsTheLeadWaitsInTheFallbackQueueAndKeepsItsOwner() {
		String tag = tag();
		String away = rep(tag, Map.of("active", false));
		rule(tag, Map.of("strategy", "WEIGHTED", "pool", List.of(away)));
		String lead = createLead(Map.of());

		moveToMql(lead);
		Map<String, Object> handoff = awaitHandoff(lead);

		assertThat(handoff).containsEntry("status", "QUEUED").containsEntry("queue", "fallback")
			.containsEntry("repId", null).containsEntry("rep", null).containsEntry("ruleId", null);
		assertThat(lead(handoff)).containsEntry("owner", null).containsEntry("stage", "MQL");
		assertThat(awaitEvent(lead, "HANDOFF_QUEUED")).containsEntry("actor", "system:routing");
		assertThat(as(SALES).document("mutation($id: ID!) { acceptHandoff(input: {handoffId: $id}) { __typename } }")
			.variable("id", handoff.get("id"))
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
			.verify()).isNotNull();
		assertThat(accept(ADMIN, (String) handoff.get("id"))).containsEntry("reason", "NOT_ASSIGNED");

		// a queued lead is offered to every rule's reps again: leave none behind for the other tests
		disqualify(lead);
		eventually(() -> "CLOSED".equals(handoff((String) handoff.get("id")).get("status")));
	}

	@Test
	void rulesMatchOnLeadFieldsInOrderAndLeastLoadedPrefersTheIdleRep() {
		String tag = tag();
		String busy = rep(tag + "-busy", Map.of());
		String idle = rep(tag + "-idle", Map.of());
		String other = rep(tag + "-other", Map.of());
		rule(tag + "-enterprise", Map.of("strategy", "LEAST_LOADED", "pool", List.of(busy, idle), "position", 1,
				"when", Map.of("field", "company.employees", "op", "GTE", "value", 1000)));
		rule(tag + "-rest", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(other), "position", 2));
		String first = createLead(Map.of("company", Map.of("name", "A", "employees", 2000)));
		moveToMql(first);
		String firstRep = (String) awaitHandoff(first).get("repId");
		assertThat(firstRep).isIn(busy, idle);

		String second = createLead(Map.of("company", Map.of("name", "B", "employees", 3000)));
		moveToMql(second);
		assertThat(awaitHandoff(second).get("repId")).isIn(busy, idle).isNotEqualTo(firstRep);

		String small = createLead(Map.of("company", Map.of("name", "C", "employees", 10)));
		moveToMql(small);
		assertThat(awaitHandoff(small)).containsEntry("repId", other).containsEntry("ruleId", tag + "-rest");
	}

	@Test
	void theRepAcceptsOnceAndTheLeadBecomesSql() {
		Map<String, Object> handoff = handoffToDemoSales();
		String id = (String) handoff.get("id");
		int open = repOpen(SALES);

		Map<String, Object> accepted = accept(SALES, id);

		assertThat(accepted).containsEntry("__typename", "HandoffAccepted");
		@SuppressWarnings("unchecked")
		Map<String, Object> decided = (Map<String, Object>) accepted.get("handoff");
		assertThat(decided).containsEntry("status", "ACCEPTED").containsEntry("sla", "MET")
			.containsEntry("decidedBy", SALES);
		assertThat(decided.get("firstTouchAt")).isEqualTo(decided.get("decidedAt"));
		@SuppressWarnings("unchecked")
		Map<String, Object> lead = (Map<String, Object>) accepted.get("lead");
		assertThat(lead).containsEntry("stage", "SQL");
		String leadId = (String) lead.get("id");
		assertThat(awaitEvent(leadId, "HANDOFF_ACCEPTED")).containsEntry("actor", SALES);
		assertThat(repOpen(SALES)).isEqualTo(open - 1);

		Map<String, Object> again = accept(SALES, id);
		assertThat(again).containsEntry("__typename", "HandoffConflict").containsEntry("reason", "ALREADY_ACCEPTED");
		Map<String, Object> rejectAfter = reject(SALES, id, "NOT_READY", null);
		assertThat(rejectAfter).containsEntry("__typename", "HandoffConflict")
			.containsEntry("reason", "ALREADY_ACCEPTED");
		assertThat(events(leadId).stream().filter(event -> event.get("type").equals("STAGE_CHANGED")).count())
			.as("NEW→MQL and MQL→SQL only").isEqualTo(2);
	}

	@Test
	void rejectionSendsTheLeadBackAsTheReasonSays() {
		Map<String, Object> notReady = reject(SALES, (String) handoffToDemoSales().get("id"), "NOT_READY",
				"Budget cycle starts in Q3");
		assertThat(notReady).containsEntry("__typename", "HandoffRejected");
		@SuppressWarnings("unchecked")
		Map<String, Object> recycled = (Map<String, Object>) notReady.get("lead");
		assertThat(recycled).containsEntry("stage", "RECYCLED");
		@SuppressWarnings("unchecked")
		Map<String, Object> rejected = (Map<String, Object>) notReady.get("handoff");
		assertThat(rejected).containsEntry("status", "REJECTED").containsEntry("rejectionReason", "NOT_READY")
			.containsEntry("rejectionNote", "Budget cycle starts in Q3");
		Map<String, Object> event = awaitEvent((String) recycled.get("id"), "HANDOFF_REJECTED");
		@SuppressWarnings("unchecked")
		Map<String, Object> payload = (Map<String, Object>) event.get("payload");
		assertThat(payload).containsEntry("handoffId", rejected.get("id")).containsEntry("repId", SALES)
			.containsEntry("reason", "NOT_READY").containsEntry("note", "Budget cycle starts in Q3")
			.containsEntry("to", "RECYCLED").containsEntry("sla", "MET")
			.containsEntry("engagementReset", rejected.get("engagementReset"));

		Map<String, Object> competitor = reject(SALES, (String) handoffToDemoSales().get("id"), "COMPETITOR", null);
		@SuppressWarnings("unchecked")
		Map<String, Object> disqualified = (Map<String, Object>) competitor.get("lead");
		assertThat(disqualified).containsEntry("stage", "DISQUALIFIED");

		String pending = (String) handoffToDemoSales().get("id");
		as(SALES).document("mutation($id: ID!) { rejectHandoff(input: {handoffId: $id, reason: OTHER}) { __typename } }")
			.variable("id", pending)
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.BAD_REQUEST
					&& "input.note".equals(error.getExtensions().get("field"))
					&& "REQUIRED".equals(error.getExtensions().get("code")))
			.verify();
		assertThat(handoff(pending)).containsEntry("status", "PENDING");
	}

	@Test
	void aDemoRequestThatQualifiesIsRoutedAndARejectionResetsEngagementAsThePolicySays() {
		activate(demoRequestPolicy("Handoff loop"));
		rep(SALES, Map.of());
		rule("demo-sales-only", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(SALES)));
		String lead = createLead(Map.of("title", "VP Marketing"));

		recordTouchpoint(lead, "DEMO_REQUEST", "INBOUND");
		Map<String, Object> handoff = awaitHandoff(lead);
		assertThat(handoff).containsEntry("repId", SALES).containsEntry("status", "PENDING");

		Map<String, Object> rejected = reject(SALES, (String) handoff.get("id"), "NOT_READY", "Next quarter");
		@SuppressWarnings("unchecked")
		Map<String, Object> decided = (Map<String, Object>) rejected.get("handoff");
		assertThat(decided).containsEntry("engagementReset", true);
		Map<String, Object> scored = scoredLead(lead);
		assertThat(scored).containsEntry("stage", "RECYCLED");
		assertThat(Instant.parse((String) scored.get("engagementResetAt")))
			.isAfterOrEqualTo(Instant.parse((String) decided.get("decidedAt")));
		assertThat(scored.get("score")).isEqualTo(Map.of("total", 30.0, "fit", 30.0, "engagement", 0.0));
		@SuppressWarnings("unchecked")
		Map<String, Object> payload = (Map<String, Object>) awaitEvent(lead, "HANDOFF_REJECTED").get("payload");
		assertThat(payload).containsEntry("engagementReset", true).containsEntry("to", "RECYCLED");

		recordTouchpoint(lead, "DEMO_REQUEST", "INBOUND");
		assertThat(scoredLead(lead)).containsEntry("stage", "MQL");
		eventually(() -> handoffsOf(lead).size() == 2);
		assertThat(handoffsOf(lead)).extracting(one -> one.get("status")).containsExactlyInAnyOrder("REJECTED", "PENDING");
	}

	@Test
	void statsTellMarketingWhatSalesDidWithEachGroupsLeads() {
		Instant from = Instant.now().minusSeconds(1);
		String tag = tag();
		String a = rep(tag + "-a", Map.of());
		String b = rep(tag + "-b", Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(a, b)));
		List<String> leads = IntStream.range(0, 4).mapToObj(i -> createLead(Map.of())).toList();
		leads.forEach(this::moveToMql);
		List<String> ids = awaitHandoffs(leads).values().stream().map(handoff -> (String) handoff.get("id")).toList();
		accept(ADMIN, ids.get(0));
		accept(ADMIN, ids.get(1));
		reject(ADMIN, ids.get(2), "NO_BUDGET", null);

		Map<String, Object> byRule = stats(from, "RULE").stream()
			.filter(row -> tag.equals(row.get("key")))
			.findFirst()
			.orElseThrow();
		assertThat(byRule).containsEntry("assigned", 4).containsEntry("accepted", 2).containsEntry("rejected", 1)
			.containsEntry("pending", 1).containsEntry("queued", 0).containsEntry("reassigned", 0)
			.containsEntry("rejectedByReason", List.of(Map.of("reason", "NO_BUDGET", "count", 1)))
			.containsEntry("slaCompliance", 1.0);
		assertThat((Double) byRule.get("acceptanceRate")).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
		assertThat((Double) byRule.get("medianSecondsToFirstTouch")).isNotNull().isGreaterThanOrEqualTo(0.0);
		assertThat((Double) byRule.get("p90RoutingMillis")).isNotNull().isGreaterThanOrEqualTo(0.0);

		assertThat(stats(from, "REP").stream().filter(row -> a.equals(row.get("key")) || b.equals(row.get("key"))))
			.extracting(row -> row.get("assigned"))
			.containsExactly(2, 2);

		as("demo-automation").document("{ handoffStats(groupBy: RULE) { total { assigned } } }")
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
			.verify();
		as(MARKETING).document("{ handoffStats(window: {from: \"2026-02-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\"}, groupBy: RULE) { total { assigned } } }")
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.BAD_REQUEST
					&& "INVALID_WINDOW".equals(error.getExtensions().get("code")))
			.verify();
	}

	private List<Map<String, Object>> stats(Instant from, String groupBy) {
		return as(MARKETING).document("""
				query($from: DateTime, $groupBy: HandoffGroupBy!) { handoffStats(window: {from: $from}, groupBy: $groupBy) {
				  total { assigned }
				  groups { key assigned queued pending accepted rejected reassigned rejectedByReason { reason count }
				    acceptanceRate medianSecondsToFirstTouch p90SecondsToFirstTouch medianRoutingMillis p90RoutingMillis
				    slaCompliance } } }""")
			.variable("from", from.toString())
			.variable("groupBy", groupBy)
			.execute()
			.path("handoffStats.groups")
			.entityList(MAP)
			.get();
	}

	@Test
	void aRuleForDemoRequestsGetsThemWithItsOwnWindowAndTheirCampaign() {
		activate(demoRequestPolicy("Demo requests"));
		String tag = tag();
		String fast = rep(tag + "-fast", Map.of());
		String others = rep(tag + "-others", Map.of());
		rule(tag + "-demo", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(fast), "position", 1,
				"responseWindow", "PT5M", "when", Map.of("field", "trigger.type", "op", "EQ", "value", "demo_request")));
		rule(tag + "-rest", Map.of("strategy", "ROUND_ROBIN", "pool", List.of(others), "position", 2));

		String requested = createLead(Map.of("title", "VP Sales"));
		as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(Map.of("source", "handoff-it", "externalId",
					UUID.randomUUID().toString(), "type", "DEMO_REQUEST", "occurredAt", Instant.now().toString(),
					"leadId", requested, "campaign", Map.of("id", tag + "-launch", "name", "Launch")))))
			.execute();
		String moved = createLead(Map.of("title", "VP Sales"));
		moveToMql(moved);

		Map<String, Object> demo = awaitHandoff(requested);
		assertThat(demo).containsEntry("repId", fast).containsEntry("ruleId", tag + "-demo")
			.containsEntry("responseWindow", "PT5M");
		assertThat(handoffsOf(requested).getFirst().get("campaignId")).isEqualTo(tag + "-launch");
		@SuppressWarnings("unchecked")
		Map<String, Object> move = (Map<String, Object>) events(requested).stream()
			.filter(event -> event.get("type").equals("STAGE_CHANGED"))
			.reduce((first, second) -> second)
			.orElseThrow()
			.get("payload");
		assertThat(move).containsKey("trigger");
		assertThat(awaitHandoff(moved)).containsEntry("repId", others).containsEntry("responseWindow", "PT1H");
		assertThat(stats(Instant.now().minusSeconds(60), "CAMPAIGN")).anySatisfy(
				row -> assertThat(row).containsEntry("key", tag + "-launch").containsEntry("assigned", 1));
	}

	@Test
	void aLeadThatLeavesMqlAnotherWayClosesItsHandoffAndFreesTheRep() {
		String tag = tag();
		String rep = rep(tag, Map.of("capacity", 1));
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(rep)));
		String lead = createLead(Map.of());
		moveToMql(lead);
		String id = (String) awaitHandoff(lead).get("id");
		assertThat(repOpen(rep)).isEqualTo(1);

		disqualify(lead);

		eventually(() -> "CLOSED".equals(handoff(id).get("status")));
		assertThat(handoff(id)).containsEntry("sla", "NONE");
		eventually(() -> repOpen(rep) == 0);
		assertThat(accept(ADMIN, id)).containsEntry("__typename", "HandoffConflict").containsEntry("reason", "LEAD_NOT_MQL");
		String next = createLead(Map.of());
		moveToMql(next);
		assertThat(awaitHandoff(next)).as("the rep's place is free again").containsEntry("repId", rep);
	}

	@Test
	void teamQueuesAndCursorsOfAnotherOrder() {
		String tag = tag();
		rep(SALES, Map.of("team", tag));
		String mate = rep(tag + "-mate", Map.of("team", tag));
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(mate)));
		String lead = createLead(Map.of());
		moveToMql(lead);
		String id = (String) awaitHandoff(lead).get("id");

		List<String> team = as(SALES).document("{ handoffs(filter: {scope: MY_TEAM}, first: 100) { edges { node { id repId } } } }")
			.execute()
			.path("handoffs.edges[*].node.id")
			.entityList(String.class)
			.get();
		assertThat(team).contains(id);
		as(MARKETING).document("{ handoffs(filter: {scope: MY_TEAM}) { edges { node { id } } } }")
			.execute()
			.errors()
			.expect(error -> "NOT_A_REP".equals(error.getExtensions().get("code")))
			.verify();

		String newestCursor = as(SALES).document("{ handoffs(orderBy: NEWEST, first: 1) { edges { cursor } } }")
			.execute()
			.path("handoffs.edges[0].cursor")
			.entity(String.class)
			.get();
		as(SALES).document("query($after: String) { handoffs(first: 1, after: $after) { edges { cursor } } }")
			.variable("after", newestCursor)
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.BAD_REQUEST
					&& "INVALID_CURSOR".equals(error.getExtensions().get("code")))
			.verify();
	}

	@Test
	void racingAcceptAndRejectDecideOnce() throws Exception {
		handoffToDemoSales();
		int open = repOpen(SALES);
		for (int round = 0; round < 5; round++) {
			String id = (String) handoffToDemoSales().get("id");
			try (ExecutorService racers = Executors.newFixedThreadPool(4)) {
				List<Future<Map<String, Object>>> outcomes = List.of(racers.submit(() -> accept(SALES, id)),
						racers.submit(() -> reject(SALES, id, "NO_BUDGET", null)), racers.submit(() -> accept(ADMIN, id)),
						racers.submit(() -> reject(ADMIN, id, "DUPLICATE", null)));
				List<Object> kinds = new ArrayList<>();
				for (Future<Map<String, Object>> outcome : outcomes) {
					kinds.add(outcome.get().get("__typename"));
				}
				assertThat(kinds.stream().filter(kind -> !kind.equals("HandoffConflict")).count()).isEqualTo(1);
			}
			Map<String, Object> handoff = handoff(id);
			String leadId = (String) lead(handoff).get("id");
			assertThat(events(leadId).stream()
				.filter(event -> event.get("type").equals("STAGE_CHANGED"))
				.count()).isEqualTo(2);
		}
		assertThat(repOpen(SALES)).as("each decision freed the rep's place once").isEqualTo(open);
	}

	@Test
	void onlyTheRepOrAnAdminDecidesAndOnlyAdminsManageRouting() {
		String tag = tag();
		String someoneElse = rep(tag, Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(someoneElse)));
		String lead = createLead(Map.of());
		moveToMql(lead);
		String id = (String) awaitHandoff(lead).get("id");

		for (String client : List.of(SALES, MARKETING, "demo-automation", "demo-partner")) {
			as(client).document("mutation($id: ID!) { acceptHandoff(input: {handoffId: $id}) { __typename } }")
				.variable("id", id)
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
		}
		assertThat(handoff(id)).containsEntry("status", "PENDING");
		assertThat(accept(ADMIN, id)).containsEntry("__typename", "HandoffAccepted");

		for (String client : List.of(MARKETING, SALES, "demo-automation")) {
			as(client).document("mutation { saveSalesRep(input: {id: \"x\", name: \"X\", email: \"x@example.com\"}) { rep { id } } }")
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
		}
		for (String client : List.of("demo-automation", "demo-partner")) {
			as(client).document("{ handoffs { edges { node { id } } } }")
				.execute()
				.errors()
				.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
				.verify();
		}
	}

	@Test
	void repsQueueListsTheirOpenHandoffsSoonestDueFirst() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add((String) handoffToDemoSales().get("id"));
		}
		List<Map<String, Object>> queue = as(SALES)
			.document("{ handoffs(filter: {scope: MINE, statuses: [PENDING]}, first: 100) { edges { node { id dueAt repId } } } }")
			.execute()
			.path("handoffs.edges[*].node")
			.entityList(MAP)
			.get();
		assertThat(queue).extracting(node -> node.get("repId")).containsOnly(SALES);
		assertThat(queue).extracting(node -> node.get("id")).containsAll(ids);
		assertThat(queue).extracting(node -> Instant.parse((String) node.get("dueAt"))).isSorted();

		List<Map<String, Object>> firstPage = as(SALES)
			.document("{ handoffs(filter: {scope: MINE, statuses: [PENDING]}, first: 2) { edges { cursor node { id } } } }")
			.execute()
			.path("handoffs.edges")
			.entityList(MAP)
			.get();
		List<Map<String, Object>> secondPage = as(SALES)
			.document("query($after: String) { handoffs(filter: {scope: MINE, statuses: [PENDING]}, first: 100, after: $after) { edges { node { id } } } }")
			.variable("after", firstPage.getLast().get("cursor"))
			.execute()
			.path("handoffs.edges[*].node")
			.entityList(MAP)
			.get();
		assertThat(secondPage.size() + 2).isEqualTo(queue.size());
	}

	@Test
	void invalidRepsAndRulesAreRefusedWithEveryProblemNamed() {
		as(ADMIN).document("""
				mutation { saveSalesRep(input: {id: " ", name: "", email: "nope", weight: 0, capacity: 0,
				  territories: {countries: ["Germany"]},
				  workingHours: {timeZone: "Mars/Olympus", periods: [{day: MONDAY, start: "18:00", end: "09:00"}]},
				  outOfOffice: [{from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z"}]}) { rep { id } } }""")
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors)
				.extracting(error -> error.getExtensions().get("field") + " " + error.getExtensions().get("code"))
				.containsExactlyInAnyOrder("input.id REQUIRED", "input.name REQUIRED", "input.email INVALID_EMAIL",
						"input.weight OUT_OF_RANGE", "input.capacity OUT_OF_RANGE",
						"input.territories.countries[0] INVALID_COUNTRY", "input.workingHours.timeZone INVALID_TIME_ZONE",
						"input.workingHours.periods[0].end INVALID_ORDER", "input.outOfOffice[0] INVALID_RANGE"));
		as(ADMIN).document("""
				mutation { saveRoutingRule(input: {id: "Bad Id", name: "r", position: -1, pool: ["nobody"],
				  strategy: WEIGHTED, responseWindow: "5 minutes",
				  when: {field: "company.size", op: EQ, value: 1}}) { rule { id } } }""")
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors)
				.extracting(error -> error.getExtensions().get("field") + " " + error.getExtensions().get("code"))
				.containsExactlyInAnyOrder("input.id INVALID_ID", "input.position OUT_OF_RANGE",
						"input.pool[0] UNKNOWN_REP", "input.responseWindow INVALID_DURATION",
						"input.when.field UNKNOWN_FIELD"));
		assertThat(as(ADMIN).document("{ routingRules { id } }").execute().path("routingRules").entityList(MAP).get())
			.isEmpty();
	}
}
