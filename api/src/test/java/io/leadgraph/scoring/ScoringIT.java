package io.leadgraph.scoring;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadgraph.support.GraphQlSockets;
import io.leadgraph.support.IntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.test.context.TestPropertySource;

import static io.leadgraph.scoring.Policies.compare;
import static io.leadgraph.scoring.Policies.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scores through the GraphQL API: in the request that records a touchpoint or changes a lead, the
 * ledger that explains them, automatic MQL moves, and activation with its background re-scoring job.
 * Its own application context (and embedded store): an active policy would move other tests' leads.
 */
@TestPropertySource(properties = "leadgraph.scoring.job-poll-interval=100ms")
class ScoringIT extends IntegrationTest {

	static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	static final String MARKETING = "demo-marketing";

	@Autowired
	org.springframework.data.mongodb.core.MongoTemplate mongo;

	@Autowired
	ScoringJobRunner jobRunner;

	@Autowired
	LeadScorer scorer;

	@Test
	void aDemoRequestThatCrossesTheThresholdMakesTheLeadMqlInTheSameRequest() {
		activateAndWait(Policies.standard("Inbound"));
		String id = createLead(Map.of("title", "VP Sales", "company",
				Map.of("name", "Big", "employees", 250, "country", "DE")));
		Map<String, Object> before = lead(id);
		assertThat(score(before)).containsEntry("fit", 30.0).containsEntry("engagement", 0.0)
			.containsEntry("grade", "A").containsEntry("qualified", false);
		assertThat(before).containsEntry("stage", "NEW");

		record(id, "DEMO_REQUEST", Instant.now());

		Map<String, Object> after = lead(id);
		assertThat(score(after)).containsEntry("total", 60.0).containsEntry("engagement", 30.0)
			.containsEntry("qualified", true);
		assertThat(after).containsEntry("stage", "MQL");
		@SuppressWarnings("unchecked")
		Map<String, Object> move = ((List<Map<String, Object>>) after.get("stageHistory")).getLast();
		assertThat(move).containsEntry("from", "NEW").containsEntry("to", "MQL").containsEntry("actor", "system:scoring");
		assertThat((String) move.get("reason")).contains("v1", "total 60.00 ≥ 60", "fit 30.00 ≥ 20");

		List<Map<String, Object>> events = events(id);
		assertThat(events).extracting(event -> event.get("type"))
			.containsSubsequence("SCORE_CHANGED", "SCORE_CHANGED", "STAGE_CHANGED");
		Map<String, Object> crossing = events.stream()
			.filter(event -> event.get("type").equals("SCORE_CHANGED"))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(crossing).containsEntry("actor", "system:scoring");
		@SuppressWarnings("unchecked")
		Map<String, Object> payload = (Map<String, Object>) crossing.get("payload");
		assertThat(payload).containsEntry("total", 60.0).containsEntry("qualified", true);
		assertThat(payload.get("previous")).isEqualTo(Map.of("total", 30.0, "fit", 30.0, "engagement", 0.0, "grade", "A",
				"qualified", false, "policyId", payload.get("policyId"), "policyVersion", 1));
	}

	@Test
	void aDemoRequestThatCapturesANewLeadScoresItInTheSameRequest() {
		activateAndWait(Policies.standard("Inbound"));
		Map<String, Object> touchpoint = new LinkedHashMap<>();
		touchpoint.put("source", "scoring-it");
		touchpoint.put("externalId", UUID.randomUUID().toString());
		touchpoint.put("type", "DEMO_REQUEST");
		touchpoint.put("occurredAt", Instant.now().toString());
		touchpoint.put("email", "captured-" + UUID.randomUUID() + "@example.com");
		String id = as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(touchpoint)))
			.execute()
			.path("recordTouchpoints.results[0].leadId")
			.entity(String.class)
			.get();

		assertThat(score(lead(id))).containsEntry("engagement", 30.0);
	}

	@Test
	void fallingBelowTheThresholdDoesNotDemoteAnMql() {
		activateAndWait(Policies.standard("Inbound"));
		String id = createLead(Map.of("title", "VP Sales", "company", Map.of("employees", 250, "country", "FR")));
		record(id, "DEMO_REQUEST", Instant.now());
		assertThat(lead(id)).containsEntry("stage", "MQL");

		record(id, "UNSUBSCRIBE", Instant.now());

		Map<String, Object> after = lead(id);
		assertThat(score(after)).containsEntry("total", 40.0).containsEntry("qualified", false);
		assertThat(after).containsEntry("stage", "MQL");
	}

	@Test
	void theLedgerExplainsEveryPointWithCapsAndDecay() {
		activateAndWait(Policies.standard("Inbound"));
		String id = createLead("@gmail.com", Map.of("title", "VP Marketing", "company",
				Map.of("employees", 900, "country", "GB"), "attributes", Map.of("plan", "Enterprise")));
		Instant now = Instant.now();
		Instant day = now.truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
		for (int i = 0; i < 4; i++) {
			record(id, "PRICING_VIEW", day.plus(i, ChronoUnit.MINUTES));
		}
		record(id, "DEMO_REQUEST", now.minus(30, ChronoUnit.DAYS));
		record(id, "UNSUBSCRIBE", now.minus(60, ChronoUnit.DAYS));

		List<Map<String, Object>> entries = ledger(id, 2);

		// fit: 15 + 5 + 10 + 5 - 10 (free mail) = 25, under the fit cap of 30
		assertThat(entries.stream().filter(entry -> entry.get("kind").equals("FIT")))
			.extracting(entry -> entry.get("ruleId") + " " + entry.get("decayedPoints") + " " + entry.get("fields"))
			.containsExactly("big-company 15.0 [company.employees]", "core-market 5.0 [company.country]",
					"vp 10.0 [title]", "free-mail -10.0 [freeMail]", "enterprise-plan 5.0 [attributes.plan]");
		List<Map<String, Object>> pricing = entries.stream().filter(entry -> "pricing".equals(entry.get("ruleId"))).toList();
		assertThat(pricing).hasSize(4);
		assertThat(pricing).filteredOn(entry -> entry.get("cap").equals("MAX_PER_DAY")).singleElement()
			.satisfies(entry -> assertThat(entry).containsEntry("points", 0.0).containsEntry("decayedPoints", 0.0));
		assertThat(pricing).filteredOn(entry -> entry.get("cap").equals("NONE")).hasSize(3)
			.allSatisfy(entry -> assertThat((Double) entry.get("decayedPoints")).isBetween(9.5, 10.0));
		assertThat(entries).filteredOn(entry -> "demo".equals(entry.get("ruleId"))).singleElement()
			.satisfies(entry -> assertThat((Double) entry.get("decayedPoints")).isCloseTo(15.0, org.assertj.core.data.Offset.offset(0.01)));
		assertThat(entries).filteredOn(entry -> "unsubscribe".equals(entry.get("ruleId"))).singleElement()
			.satisfies(entry -> assertThat(entry).containsEntry("decayedPoints", -20.0).containsEntry("policyVersion", 1));

		Map<String, Object> score = score(lead(id));
		BigDecimal sum = entries.stream()
			.map(entry -> BigDecimal.valueOf((Double) entry.get("decayedPoints")))
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		assertThat(sum).isEqualByComparingTo(BigDecimal.valueOf((Double) score.get("total")));
		assertThat(score.get("fit")).isEqualTo(25.0);
		assertThat(score.get("grade")).isEqualTo("A");
	}

	@Test
	void groupCapsAreLedgerEntriesSoTheLedgerStillSumsToTheScore() {
		Map<String, Object> policy = Policies.standard("Capped");
		policy.put("fitMax", 20);
		policy.put("engagementMax", 40);
		activateAndWait(policy);
		String id = createLead(Map.of("title", "VP", "company", Map.of("employees", 500, "country", "DE")));
		record(id, "DEMO_REQUEST", Instant.now());
		record(id, "DEMO_REQUEST", Instant.now());

		List<Map<String, Object>> entries = ledger(id, 100);

		assertThat(entries).filteredOn(entry -> entry.get("kind").equals("FIT_CAP")).singleElement()
			.satisfies(entry -> assertThat(entry).containsEntry("decayedPoints", -10.0).containsEntry("cap", "GROUP_MAX"));
		assertThat(entries).filteredOn(entry -> entry.get("kind").equals("ENGAGEMENT_CAP")).singleElement()
			.satisfies(entry -> assertThat(entry).containsEntry("decayedPoints", -20.0));
		assertThat(score(lead(id))).containsEntry("fit", 20.0).containsEntry("engagement", 40.0).containsEntry("total", 60.0);
	}

	@Test
	void aFitAttributeChangeRescoresTheLeadInTheSameRequest() {
		activateAndWait(Policies.standard("Inbound"));
		String id = createLead(Map.of("company", Map.of("employees", 20)));
		assertThat(score(lead(id))).containsEntry("fit", 0.0).containsEntry("grade", "D");

		Map<String, Object> updated = as(MARKETING)
			.document("mutation($input: UpdateLeadInput!) { updateLead(input: $input) { ... on LeadUpdated { lead { score { fit grade } } } } }")
			.variable("input", Map.of("id", id, "company", Map.of("employees", 300), "title", "SVP Sales"))
			.execute()
			.path("updateLead.lead.score")
			.entity(MAP)
			.get();

		assertThat(updated).containsEntry("fit", 25.0).containsEntry("grade", "A");
	}

	@Test
	void activationRescoresEveryLeadInTheBackgroundAndTheSameVersionGivesTheSameScores() {
		Map<String, Object> first = timeless(Policies.standard("First"));
		String firstId = save(first);
		activate(firstId, 1).waitForCompletion();
		List<String> leads = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			leads.add(createLead(Map.of("title", i % 2 == 0 ? "VP" : "Engineer", "company", Map.of("employees", 100 * i))));
			record(leads.getLast(), i % 3 == 0 ? "PRICING_VIEW" : "WEBINAR", Instant.now().minus(i, ChronoUnit.DAYS));
		}
		Map<String, Map<String, Object>> underFirst = scores(leads);

		Map<String, Object> second = timeless(Policies.standard("Second"));
		second.put("engagementRules", List.of(rule("webinar", compare("type", "EQ", "WEBINAR"), 25)));
		Activation switched = activate(save(second), 1);
		assertThat(switched.payload()).containsEntry("__typename", "ScoringPolicyActivated");
		Map<String, Object> job = switched.waitForCompletion();
		assertThat(job).containsEntry("kind", "ACTIVATION").containsEntry("status", "COMPLETED");
		assertThat(((Number) job.get("processed")).intValue()).isEqualTo(((Number) job.get("total")).intValue())
			.isGreaterThanOrEqualTo(7);
		Map<String, Map<String, Object>> underSecond = scores(leads);
		assertThat(underSecond.get(leads.get(1))).containsEntry("engagement", 25.0).containsEntry("policyId",
				switched.policyId());

		Activation back = activate(firstId, 1);
		@SuppressWarnings("unchecked")
		Map<String, Object> previous = (Map<String, Object>) back.payload().get("previous");
		assertThat(previous).containsEntry("status", "ARCHIVED");
		back.waitForCompletion();

		Map<String, Map<String, Object>> again = scores(leads);
		leads.forEach(id -> assertThat(withoutTime(again.get(id))).isEqualTo(withoutTime(underFirst.get(id))));
		assertThat(as(MARKETING).document("{ scoringPolicies(status: ACTIVE) { id version } }")
			.execute()
			.path("scoringPolicies")
			.entityList(MAP)
			.get()).singleElement().satisfies(active -> assertThat(active).containsEntry("id", firstId));
	}

	@Test
	void activatingTheActiveVersionOrAnUnknownOneChangesNothing() {
		String id = save(Policies.standard("Once"));
		activate(id, 1).waitForCompletion();

		Activation again = activate(id, 1);
		assertThat(again.payload()).containsEntry("__typename", "ScoringPolicyActivationRefused")
			.containsEntry("reason", "ALREADY_ACTIVE");

		as(MARKETING).documentName("activateScoringPolicy")
			.operationName("activateScoringPolicy")
			.variable("input", Map.of("id", id, "version", 9))
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.NOT_FOUND)
			.verify();
		as("demo-sales").documentName("activateScoringPolicy")
			.operationName("activateScoringPolicy")
			.variable("input", Map.of("id", id, "version", 1))
			.execute()
			.errors()
			.expect(error -> error.getErrorType() == ErrorType.FORBIDDEN)
			.verify();

		Map<String, Object> next = as(MARKETING)
			.document("mutation($input: SaveScoringPolicyInput!) { saveScoringPolicy(input: $input) { policy { version status } } }")
			.variable("input", Map.of("id", id, "policy", Policies.standard("Once more")))
			.execute()
			.path("saveScoringPolicy.policy")
			.entity(MAP)
			.get();
		assertThat(next).containsEntry("version", 2).containsEntry("status", "DRAFT");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aSimulationComparesADraftWithTheActivePolicyAgainstWhatSalesDidAndWritesNothing() {
		activateAndWait(Policies.standard("Active"));
		Instant start = Instant.now().minusSeconds(1);
		String accepted = createLead(Map.of("title", "VP Sales", "company", Map.of("employees", 900, "country", "DE")));
		record(accepted, "DEMO_REQUEST", Instant.now());
		move(accepted, "demo-sales", "SQL", null);
		String webinarOnly = createLead(Map.of("title", "Engineer", "company", Map.of("employees", 5)));
		record(webinarOnly, "WEBINAR", Instant.now());
		move(webinarOnly, MARKETING, "MQL", null);
		move(webinarOnly, "demo-sales", "SQL", null);
		String rejected = createLead(Map.of("title", "VP IT", "company", Map.of("employees", 900, "country", "FR")));
		record(rejected, "DEMO_REQUEST", Instant.now());
		move(rejected, "demo-sales", "RECYCLED", "No budget this year");
		String undecided = createLead("@gmail.com", Map.of("company", Map.of("employees", 3)));
		record(undecided, "PRICING_VIEW", Instant.now());
		Map<String, Object> untouched = lead(undecided);

		Map<String, Object> draftPolicy = Policies.standard("With webinars");
		List<Object> engagement = new ArrayList<>((List<?>) draftPolicy.get("engagementRules"));
		engagement.add(rule("webinar", compare("type", "EQ", "WEBINAR"), 40));
		draftPolicy.put("engagementRules", engagement);
		draftPolicy.put("mqlThreshold", Map.of("total", 40));
		Map<String, Object> window = Map.of("from", start.toString(), "to", Instant.now().plusSeconds(1).toString());

		Map<String, Object> inline = simulate(Map.of("policy", draftPolicy, "window", window, "sample", 100));

		Map<String, Object> draft = (Map<String, Object>) inline.get("draft");
		Map<String, Object> active = (Map<String, Object>) inline.get("active");
		assertThat(draft).containsEntry("decided", 3).containsEntry("truePositives", 2).containsEntry("falsePositives", 1)
			.containsEntry("falseNegatives", 0).containsEntry("recall", 1.0);
		assertThat((Double) draft.get("precision")).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(active).containsEntry("decided", 3).containsEntry("truePositives", 1).containsEntry("falsePositives", 1)
			.containsEntry("falseNegatives", 1).containsEntry("precision", 0.5).containsEntry("recall", 0.5);
		assertThat(ids((Map<String, Object>) inline.get("newlyMql"))).contains(webinarOnly).doesNotContain(accepted, undecided);
		int evaluated = (Integer) inline.get("leadsEvaluated");
		List<Map<String, Object>> histogram = (List<Map<String, Object>>) inline.get("histogram");
		assertThat(histogram.stream().mapToInt(bucket -> (Integer) bucket.get("draft")).sum()).isEqualTo(evaluated);
		assertThat(histogram.stream().mapToInt(bucket -> (Integer) bucket.get("active")).sum()).isEqualTo(evaluated);
		assertThat(histogram).extracting(bucket -> (Double) bucket.get("to") - (Double) bucket.get("from")).containsOnly(10.0);

		String saved = save(draftPolicy);
		Map<String, Object> byDraft = simulate(Map.of("draft", Map.of("id", saved), "window", window, "sample", 100));
		assertThat(byDraft).containsEntry("policyId", saved).containsEntry("policyVersion", 1)
			.containsEntry("draft", inline.get("draft"));
		assertThat(lead(undecided)).isEqualTo(untouched);
	}

	@Test
	void aSimulationNeedsExactlyOnePolicyAndAWindowInOrder() {
		as(MARKETING).documentName("simulateScoringPolicy")
			.variable("input", Map.of("window", Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z")))
			.execute()
			.errors()
			.satisfy(errors -> assertThat(errors).extracting(error -> error.getExtensions().get("code"))
				.containsExactlyInAnyOrder("CONFLICTING_ARGUMENTS", "INVALID_WINDOW"));
	}

	@Test
	void aSubscriberFollowsTheJobUntilItCompletes() {
		activateAndWait(Policies.standard("Followed"));
		createLead(Map.of("title", "VP"));
		// a job another instance holds for two more seconds: the subscriber sees it RUNNING, then done
		ActivePolicy active = mongo.findById(ActivePolicy.ID, ActivePolicy.class);
		Instant now = Instant.now();
		String jobId = "followed-" + UUID.randomUUID();
		mongo.insert(new ScoringJob(jobId, ScoringJob.Kind.REFRESH, active.policyId(), active.version(),
				ScoringJob.Status.RUNNING, now, 0, 0, 0, 0, null, "other-instance", now.plusSeconds(2), "system:scoring",
				now, null, null, null));

		List<Map<String, Object>> states = GraphQlSockets.socket(port, token(MARKETING))
			.document("subscription($id: ID!) { scoringJob(id: $id) { status processed total } }")
			.variable("id", jobId)
			.executeSubscription()
			.toFlux()
			.map(response -> response.path("scoringJob").entity(MAP).get())
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(states.getFirst()).containsEntry("status", "RUNNING").containsEntry("processed", 0);
		assertThat(states.getLast()).containsEntry("status", "COMPLETED");
		assertThat(states.getLast().get("processed")).isEqualTo(states.getLast().get("total"));
	}

	@Test
	void aJobLeftRunningByAStoppedInstanceIsResumedAfterItsLastLead() {
		Map<String, Object> policy = Policies.standard("Resumed");
		activateAndWait(policy);
		List<String> leads = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			leads.add(createLead(Map.of("title", "VP " + i)));
		}
		ActivePolicy active = mongo.findById(ActivePolicy.ID, ActivePolicy.class);
		List<String> all = mongo.find(new org.springframework.data.mongodb.core.query.Query()
			.with(org.springframework.data.domain.Sort.by("_id")), org.bson.Document.class, "leads").stream()
			.map(lead -> lead.getObjectId("_id").toHexString()).sorted().toList();
		String resumeAfter = leads.get(2);
		Instant asOf = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant earlier = asOf.minusSeconds(60);
		String jobId = "resume-" + UUID.randomUUID();
		mongo.insert(new ScoringJob(jobId, ScoringJob.Kind.REFRESH, active.policyId(),
				active.version(), ScoringJob.Status.RUNNING, asOf, all.size(), 3, 0, 0, resumeAfter, "stopped-instance",
				earlier, "system:scoring", earlier, earlier, null, null));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> mongo.findById(jobId, ScoringJob.class).status().finished());
		ScoringJob resumed = mongo.findById(jobId, ScoringJob.class);

		assertThat(resumed.status()).isEqualTo(ScoringJob.Status.COMPLETED);
		assertThat(resumed.processed()).isEqualTo(3 + all.stream().filter(id -> id.compareTo(resumeAfter) > 0).count());
		assertThat(score(lead(leads.get(3))).get("computedAt")).isEqualTo(asOf.toString());
		assertThat(score(lead(leads.get(2))).get("computedAt")).isNotEqualTo(asOf.toString());
	}

	@Test
	void concurrentTouchpointsOnTheSameLeadsScoreWhatAFullRescoreComputes() throws Exception {
		activateAndWait(timeless(Policies.standard("Concurrent")));
		List<String> leads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			leads.add(createLead(Map.of("title", "VP", "company", Map.of("employees", 300 * i))));
		}
		List<String> types = List.of("DEMO_REQUEST", "PRICING_VIEW", "PRICING_VIEW", "UNSUBSCRIBE", "EMAIL_CLICK");
		Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
		var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		List<java.util.concurrent.Future<?>> senders = new ArrayList<>();
		for (int sender = 0; sender < 8; sender++) {
			int seed = sender;
			senders.add(pool.submit(() -> {
				var random = new java.util.Random(seed);
				for (int batch = 0; batch < 5; batch++) {
					List<Map<String, Object>> items = new ArrayList<>();
					for (int i = 0; i < 6; i++) {
						items.add(Map.of("source", "concurrency", "externalId", UUID.randomUUID().toString(), "type",
								types.get(random.nextInt(types.size())), "occurredAt",
								base.plus(random.nextInt(3 * 24 * 60), ChronoUnit.MINUTES).toString(), "leadId",
								leads.get(random.nextInt(leads.size()))));
					}
					as("demo-automation").documentName("recordTouchpoints")
						.variable("input", Map.of("touchpoints", items))
						.execute()
						.path("recordTouchpoints.results[*].status")
						.entityList(String.class)
						.containsExactly("RECORDED", "RECORDED", "RECORDED", "RECORDED", "RECORDED", "RECORDED");
				}
			}));
		}
		for (var sent : senders) {
			sent.get();
		}
		pool.shutdown();
		Map<String, Map<String, Object>> incremental = scores(leads);

		jobRunner.scheduleRefresh();
		await().atMost(Duration.ofSeconds(30)).until(() -> mongo
			.find(new org.springframework.data.mongodb.core.query.Query().with(org.springframework.data.domain.Sort.by(
					org.springframework.data.domain.Sort.Direction.DESC, "createdAt")).limit(1), ScoringJob.class)
			.getFirst()
			.status() == ScoringJob.Status.COMPLETED);

		Map<String, Map<String, Object>> refreshed = scores(leads);
		for (String id : leads) {
			assertThat(refreshed.get(id).get("computedAt")).isNotEqualTo(incremental.get(id).get("computedAt"));
			assertThat(withoutTime(refreshed.get(id))).isEqualTo(withoutTime(incremental.get(id)));
			BigDecimal sum = ledger(id, 100).stream()
				.map(entry -> BigDecimal.valueOf((Double) entry.get("decayedPoints")))
				.reduce(BigDecimal.ZERO, BigDecimal::add);
			assertThat(sum).isEqualByComparingTo(BigDecimal.valueOf((Double) refreshed.get(id).get("total")));
		}
	}

	@Test
	void aLeadWhoseScoringFailedIsScoredAgainFromItsHistory() {
		activateAndWait(timeless(Policies.standard("Repaired")));
		String id = createLead(Map.of("title", "VP Sales", "company", Map.of("employees", 250, "country", "DE")));
		record(id, "DEMO_REQUEST", Instant.now());
		record(id, "PRICING_VIEW", Instant.now());
		Map<String, Object> scored = score(lead(id));
		// what a failed scoring leaves: a ledger without the touchpoints, a stale score
		var byId = org.springframework.data.mongodb.core.query.Query.query(
				org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id));
		mongo.remove(byId, LeadLedger.class);
		mongo.updateFirst(byId, new org.springframework.data.mongodb.core.query.Update().set("score.total", 1.0),
				"leads");
		assertThat(score(lead(id))).containsEntry("total", 1.0);

		scorer.repairLater(List.of(id));
		scorer.repair();

		assertThat(withoutTime(score(lead(id)))).isEqualTo(withoutTime(scored)).containsEntry("total", 70.0);
		assertThat(ledger(id, 100)).extracting(entry -> entry.get("ruleId")).contains("demo", "pricing");
	}

	@Test
	void aLeadSalesSentBackReturnsToMqlOnlyByCrossingTheThresholdAgain() {
		activateAndWait(Policies.standard("Before"));
		String id = createLead(Map.of("title", "VP Sales", "company", Map.of("employees", 250, "country", "DE")));
		record(id, "DEMO_REQUEST", Instant.now());
		assertThat(lead(id)).containsEntry("stage", "MQL");
		move(id, "demo-sales", "RECYCLED", "Not this quarter");

		activateAndWait(Policies.standard("After"));
		assertThat(score(lead(id))).containsEntry("qualified", true);
		assertThat(lead(id)).containsEntry("stage", "RECYCLED");

		record(id, "UNSUBSCRIBE", Instant.now());
		assertThat(lead(id)).containsEntry("stage", "RECYCLED");
		record(id, "DEMO_REQUEST", Instant.now());
		assertThat(lead(id)).containsEntry("stage", "MQL");
	}

	@Test
	void aPassResumedAfterItWroteALedgerButNotTheLeadWritesTheLead() {
		activateAndWait(Policies.standard("Half written"));
		String id = createLead(Map.of("title", "VP"));
		ActivePolicy active = mongo.findById(ActivePolicy.ID, ActivePolicy.class);
		Instant asOf = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		var byId = org.springframework.data.mongodb.core.query.Query.query(
				org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id));
		// the stopped instance wrote the lead's ledger as of the pass's time, then stopped before the lead
		mongo.updateFirst(byId, new org.springframework.data.mongodb.core.query.Update().set("computedAt", asOf),
				LeadLedger.class);
		mongo.updateFirst(byId, new org.springframework.data.mongodb.core.query.Update().set("score.total", 1.0), "leads");
		String jobId = "half-" + UUID.randomUUID();
		Instant earlier = asOf.minusSeconds(60);
		mongo.insert(new ScoringJob(jobId, ScoringJob.Kind.REFRESH, active.policyId(), active.version(),
				ScoringJob.Status.RUNNING, asOf, 0, 0, 0, 0, null, "stopped-instance", earlier, "system:scoring", earlier,
				earlier, null, null));

		await().atMost(Duration.ofSeconds(30)).until(() -> mongo.findById(jobId, ScoringJob.class).status().finished());

		assertThat(score(lead(id))).containsEntry("total", 10.0).containsEntry("computedAt", asOf.toString());
	}

	// ---- helpers

	Map<String, Object> simulate(Map<String, Object> input) {
		return as(MARKETING).documentName("simulateScoringPolicy")
			.variable("input", input)
			.execute()
			.path("simulateScoringPolicy")
			.entity(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	static List<String> ids(Map<String, Object> sample) {
		return ((List<Map<String, Object>>) sample.get("leads")).stream().map(lead -> (String) lead.get("id")).toList();
	}

	void move(String leadId, String client, String to, String reason) {
		Map<String, Object> input = new HashMap<>();
		input.put("leadId", leadId);
		input.put("to", to);
		input.put("reason", reason);
		as(client).document("mutation($input: MoveLeadStageInput!) { moveLeadStage(input: $input) { __typename } }")
			.variable("input", input)
			.execute()
			.path("moveLeadStage.__typename")
			.entity(String.class)
			.isEqualTo("StageMoved");
	}

	record Activation(Map<String, Object> payload, ScoringIT test) {

		@SuppressWarnings("unchecked")
		String policyId() {
			return (String) ((Map<String, Object>) payload.get("policy")).get("id");
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> waitForCompletion() {
			String jobId = (String) ((Map<String, Object>) payload.get("job")).get("id");
			Map<String, Object>[] job = new Map[1];
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
				job[0] = test.as(MARKETING).documentName("activateScoringPolicy")
					.operationName("scoringJob")
					.variable("id", jobId)
					.execute()
					.path("scoringJob")
					.entity(MAP)
					.get();
				return !List.of("QUEUED", "RUNNING").contains(job[0].get("status"));
			});
			return job[0];
		}
	}

	void activateAndWait(Map<String, Object> policy) {
		activate(save(policy), 1).waitForCompletion();
	}

	String save(Map<String, Object> policy) {
		return (String) as(MARKETING).document("mutation($input: SaveScoringPolicyInput!) { saveScoringPolicy(input: $input) { policy { id } } }")
			.variable("input", Map.of("policy", policy))
			.execute()
			.path("saveScoringPolicy.policy.id")
			.entity(String.class)
			.get();
	}

	Activation activate(String id, int version) {
		return new Activation(as(MARKETING).documentName("activateScoringPolicy")
			.operationName("activateScoringPolicy")
			.variable("input", Map.of("id", id, "version", version))
			.execute()
			.path("activateScoringPolicy")
			.entity(MAP)
			.get(), this);
	}

	String createLead(Map<String, Object> fields) {
		return createLead("@example.com", fields);
	}

	String createLead(String domain, Map<String, Object> fields) {
		Map<String, Object> input = new HashMap<>(fields);
		input.put("email", "lead-" + UUID.randomUUID() + domain);
		return as(MARKETING).document("mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }")
			.variable("input", input)
			.execute()
			.path("createLead.lead.id")
			.entity(String.class)
			.get();
	}

	void record(String leadId, String type, Instant occurredAt) {
		Map<String, Object> touchpoint = new LinkedHashMap<>();
		touchpoint.put("source", "scoring-it");
		touchpoint.put("externalId", UUID.randomUUID().toString());
		touchpoint.put("type", type);
		touchpoint.put("occurredAt", occurredAt.toString());
		touchpoint.put("leadId", leadId);
		as("demo-automation").documentName("recordTouchpoints")
			.variable("input", Map.of("touchpoints", List.of(touchpoint)))
			.execute()
			.path("recordTouchpoints.results[0].status")
			.entity(String.class)
			.isEqualTo("RECORDED");
	}

	Map<String, Object> lead(String id) {
		return as("demo-sales").documentName("scoredLead")
			.variable("id", id)
			.execute()
			.path("lead")
			.entity(MAP)
			.get();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> score(Map<String, Object> lead) {
		return (Map<String, Object>) lead.get("score");
	}

	Map<String, Map<String, Object>> scores(List<String> ids) {
		Map<String, Map<String, Object>> scores = new HashMap<>();
		ids.forEach(id -> scores.put(id, score(lead(id))));
		return scores;
	}

	/** Every ledger entry of the lead, read page by page. */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> ledger(String id, int pageSize) {
		List<Map<String, Object>> entries = new ArrayList<>();
		String after = null;
		do {
			Map<String, Object> page = as(MARKETING).documentName("scoredLead")
				.variable("id", id)
				.variable("first", pageSize)
				.variable("after", after)
				.execute()
				.path("lead.scoreLedger")
				.entity(MAP)
				.get();
			((List<Map<String, Object>>) page.get("edges")).forEach(edge -> entries.add((Map<String, Object>) edge.get("node")));
			Map<String, Object> pageInfo = (Map<String, Object>) page.get("pageInfo");
			after = Boolean.TRUE.equals(pageInfo.get("hasNextPage")) ? (String) pageInfo.get("endCursor") : null;
		}
		while (after != null);
		return entries;
	}

	List<Map<String, Object>> events(String leadId) {
		return as(MARKETING).documentName("leadEvents")
			.variable("filter", Map.of("leadIds", List.of(leadId)))
			.variable("first", 100)
			.execute()
			.path("leadEvents.edges[*].node")
			.entityList(MAP)
			.get();
	}

	private static Map<String, Object> timeless(Map<String, Object> policy) {
		policy.remove("halfLifeDays");
		return policy;
	}

	private static Map<String, Object> withoutTime(Map<String, Object> score) {
		Map<String, Object> copy = new HashMap<>(score);
		copy.remove("computedAt");
		return copy;
	}
}
