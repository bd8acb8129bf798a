package io.leadgraph.handoff;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadgraph.support.MutableClock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SLA clocks through the GraphQL API, on an injected clock: due times in the rep's working hours
 * and time zone, at-risk and breach events exactly once, reassignment on breach, and the rep's first
 * touch stopping the clock.
 */
@TestPropertySource(properties = { "leadgraph.handoff.sweep-interval=200ms", "leadgraph.handoff.timer-interval=50ms" })
@Import(MutableClock.InContext.class)
class HandoffSlaIT extends HandoffTestSupport {

	static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Friday 27 November 2026, 17:59 in Berlin: after hours for a rep working 09:00–17:00. */
	static final Instant FRIDAY_EVENING = ZonedDateTime.of(2026, 11, 27, 17, 59, 0, 0, BERLIN).toInstant();

	@Autowired
	MutableClock clock;

	@Autowired
	HandoffTimers timers;

	@Autowired
	MongoTemplate mongo;

	@BeforeEach
	void fridayEvening() {
		deleteRules();
		clock.set(FRIDAY_EVENING);
	}

	@Test
	void aLeadAssignedFridayEveningIsDueMondayInTheRepsHoursThenAtRiskBreachedAndReassigned() {
		String tag = tag();
		String berliner = rep(tag + "-berlin", Map.of("workingHours", weekdays("09:00", "17:00")));
		String backup = rep(tag + "-backup", Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(berliner, backup), "responseWindow", "PT1H",
				"reassignOnBreach", true));
		String lead = createLead(Map.of());

		moveToMql(lead);
		Map<String, Object> handoff = awaitHandoff(lead);

		assertThat(handoff).containsEntry("repId", berliner).containsEntry("sla", "ON_TRACK");
		Instant mondayOpening = ZonedDateTime.of(2026, 11, 30, 9, 0, 0, 0, BERLIN).toInstant();
		assertThat(Instant.parse((String) handoff.get("dueAt"))).isEqualTo(mondayOpening.plus(Duration.ofHours(1)));
		assertThat(Instant.parse((String) handoff.get("atRiskAt")))
			.isEqualTo(mondayOpening.plus(Duration.ofMinutes(48)));

		clock.set(mondayOpening.plus(Duration.ofMinutes(30)));
		pause();
		assertThat(handoff((String) handoff.get("id"))).containsEntry("sla", "ON_TRACK");

		clock.set(mondayOpening.plus(Duration.ofMinutes(48)));
		Map<String, Object> atRisk = awaitEvent(lead, "SLA_AT_RISK");
		assertThat(atRisk).containsEntry("actor", "system:sla");
		eventually(() -> "AT_RISK".equals(handoff((String) handoff.get("id")).get("sla")));
		assertThat(handoff((String) handoff.get("id"))).containsEntry("status", "PENDING");

		clock.set(mondayOpening.plus(Duration.ofMinutes(60)));
		awaitEvent(lead, "SLA_BREACHED");
		eventually(() -> handoffsOf(lead).size() == 2);
		Map<String, Object> old = handoff((String) handoff.get("id"));
		assertThat(old).containsEntry("status", "REASSIGNED").containsEntry("sla", "BREACHED");
		Map<String, Object> next = handoffsOf(lead).stream()
			.filter(one -> !one.get("id").equals(handoff.get("id")))
			.findFirst()
			.orElseThrow();
		assertThat(next).containsEntry("repId", backup).containsEntry("status", "PENDING").containsEntry("sla", "ON_TRACK");
		assertThat(Instant.parse((String) next.get("dueAt")))
			.as("the backup works around the clock").isEqualTo(mondayOpening.plus(Duration.ofHours(2)));
		eventually(() -> lead(handoff((String) next.get("id"))).get("owner") instanceof Map<?, ?> owner
				&& backup.equals(owner.get("id")));
		assertThat(awaitEvent(lead, "HANDOFF_REASSIGNED").get("payload")).isEqualTo(
				Map.of("handoffId", handoff.get("id"), "newHandoffId", next.get("id"), "newRepId", backup));
		assertThat(events(lead)).extracting(event -> event.get("type"))
			.containsSubsequence("HANDOFF_ASSIGNED", "SLA_AT_RISK", "SLA_BREACHED", "HANDOFF_REASSIGNED",
					"HANDOFF_ASSIGNED");
		assertThat(reps(List.of(berliner, backup))).as(() -> handoffsOf(lead).toString())
			.extracting(rep -> rep.get("openHandoffs")).containsExactly(0, 1);
	}

	@Test
	void theRepsOutboundTouchStopsTheClock() {
		String tag = tag();
		rep(SALES, Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(SALES), "responseWindow", "PT5M"));
		String lead = createLead(Map.of());
		moveToMql(lead);
		Map<String, Object> handoff = awaitHandoff(lead);

		Instant call = FRIDAY_EVENING.plus(Duration.ofMinutes(3));
		clock.set(call.plusSeconds(10));
		recordCall(SALES, lead, call);

		Map<String, Object> touched = handoff((String) handoff.get("id"));
		assertThat(touched).containsEntry("sla", "MET").containsEntry("status", "PENDING");
		assertThat(Instant.parse((String) touched.get("firstTouchAt"))).isEqualTo(call);

		clock.set(FRIDAY_EVENING.plus(Duration.ofHours(1)));
		pause();
		assertThat(events(lead)).extracting(event -> event.get("type")).doesNotContain("SLA_AT_RISK", "SLA_BREACHED");
		assertThat(handoff((String) handoff.get("id"))).containsEntry("sla", "MET");
	}

	@Test
	void aTouchByAnotherRepDoesNotStopTheClock() {
		String tag = tag();
		String owner = rep(tag, Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(owner), "responseWindow", "PT5M"));
		String lead = createLead(Map.of());
		moveToMql(lead);
		Map<String, Object> handoff = awaitHandoff(lead);

		clock.set(FRIDAY_EVENING.plus(Duration.ofMinutes(1)));
		recordCall(SALES, lead, FRIDAY_EVENING.plus(Duration.ofSeconds(30)));

		assertThat(handoff((String) handoff.get("id"))).containsEntry("firstTouchAt", null);
		clock.set(FRIDAY_EVENING.plus(Duration.ofMinutes(5)));
		awaitEvent(lead, "SLA_BREACHED");
		eventually(() -> "BREACHED".equals(handoff((String) handoff.get("id")).get("sla")));
		assertThat(handoff((String) handoff.get("id"))).containsEntry("status", "PENDING");
	}

	@Test
	void timersFireOnceHoweverManyInstancesRaceAndAfterADeadInstancesLease() throws Exception {
		String tag = tag();
		String rep = rep(tag, Map.of());
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(rep), "responseWindow", "PT10M"));
		String lead = createLead(Map.of());
		moveToMql(lead);
		String id = (String) awaitHandoff(lead).get("id");
		eventually(() -> mongo.findById(id, Handoff.class).timerAt().equals(mongo.findById(id, Handoff.class).atRiskAt()));

		// an instance claimed the at-risk firing and died before doing it
		Instant atRisk = mongo.findById(id, Handoff.class).atRiskAt();
		mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
				new Update().set("timerAt", atRisk.plus(HandoffTimers.LEASE)), Handoff.class);
		clock.set(atRisk.plusSeconds(1));
		pause();
		assertThat(events(lead)).extracting(event -> event.get("type")).doesNotContain("SLA_AT_RISK");

		clock.set(atRisk.plus(HandoffTimers.LEASE));
		try (ExecutorService instances = Executors.newFixedThreadPool(4)) {
			List<Future<?>> runs = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				runs.add(instances.submit(timers::fireDue));
			}
			for (Future<?> run : runs) {
				run.get();
			}
		}
		awaitEvent(lead, "SLA_AT_RISK");
		eventually(() -> "AT_RISK".equals(handoff(id).get("sla")));
		pause();
		assertThat(events(lead).stream().filter(event -> event.get("type").equals("SLA_AT_RISK")).count()).isEqualTo(1);
	}

	@Test
	void aQueuedLeadGoesToTheFirstRepWhoIsBackAndOverdueHandoffsLeadTheQueue() {
		String tag = tag();
		String rep = rep(tag, Map.of("active", false));
		rule(tag, Map.of("strategy", "ROUND_ROBIN", "pool", List.of(rep), "responseWindow", "PT30M"));
		String lead = createLead(Map.of());
		moveToMql(lead);
		Map<String, Object> queued = awaitHandoff(lead);
		assertThat(queued).containsEntry("status", "QUEUED");

		clock.set(FRIDAY_EVENING.plus(Duration.ofMinutes(2)));
		pause();
		assertThat(handoff((String) queued.get("id"))).containsEntry("status", "QUEUED");

		rep(tag, Map.of("active", true));
		clock.set(FRIDAY_EVENING.plus(Duration.ofMinutes(4)));
		eventually(() -> "PENDING".equals(handoff((String) queued.get("id")).get("status")));
		Map<String, Object> routed = handoff((String) queued.get("id"));
		assertThat(routed).containsEntry("repId", rep).containsEntry("ruleId", tag).containsEntry("sla", "ON_TRACK")
			.containsEntry("responseWindow", "PT30M");
		assertThat(Instant.parse((String) routed.get("dueAt")))
			.isEqualTo(FRIDAY_EVENING.plus(Duration.ofMinutes(4)).plus(Duration.ofMinutes(30)));
		eventually(() -> lead(handoff((String) queued.get("id"))).get("owner") instanceof Map<?, ?> owner
				&& rep.equals(owner.get("id")));
		assertThat(events(lead)).extracting(event -> event.get("type")).containsSubsequence("HANDOFF_QUEUED",
				"HANDOFF_ASSIGNED");

		clock.set(FRIDAY_EVENING.plus(Duration.ofMinutes(40)));
		eventually(() -> "BREACHED".equals(handoff((String) queued.get("id")).get("sla")));
		List<String> overdue = as(ADMIN).document("{ handoffs(filter: {overdue: true}, first: 100) { edges { node { id } } } }")
			.execute()
			.path("handoffs.edges[*].node.id")
			.entityList(String.class)
			.get();
		assertThat(overdue).contains((String) queued.get("id"));
	}

	@Test
	void aRepsCounterThatDriftedIsSetRightOnceTheDriftHolds() {
		String rep = rep(tag(), Map.of());
		mongo.updateFirst(Query.query(Criteria.where("_id").is(rep)), new Update().set("openHandoffs", 3), SalesRep.class);

		timers.checkLoads();
		assertThat(reps(List.of(rep)).getFirst()).as("once may be an assignment in flight").containsEntry("openHandoffs", 3);
		timers.checkLoads();
		assertThat(reps(List.of(rep)).getFirst()).containsEntry("openHandoffs", 0);
	}

	private void recordCall(String client, String leadId, Instant at) {
		as(client).documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(Map.of("source", "dialer", "externalId",
					UUID.randomUUID().toString(), "type", "CALL", "channel", "PHONE", "direction", "OUTBOUND",
					"occurredAt", at.toString(), "leadId", leadId))))
			.execute()
			.path("recordTouchpoints.results[0].status")
			.entity(String.class)
			.isEqualTo("RECORDED");
	}

	private static Map<String, Object> weekdays(String start, String end) {
		return Map.of("timeZone", "Europe/Berlin", "periods",
				List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
					.stream()
					.map(day -> Map.of("day", day, "start", start, "end", end))
					.toList());
	}

	/** Gives the 50 ms timer several turns, for checks that nothing happened. */
	private static void pause() {
		try {
			Thread.sleep(400);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
