package io.leadgraph.scoring;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadScore;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.ScoreUpdate;
import io.leadgraph.lead.Stage;
import io.leadgraph.scoring.Facts.LeadFacts;
import io.leadgraph.scoring.Facts.TouchFacts;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.InLists;
import io.leadgraph.support.UnorderedInserts;
import io.leadgraph.touchpoint.Touchpoint;
import io.leadgraph.touchpoint.TouchpointService;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Computes and writes scores. Each lead's ledger is written first, guarded by its revision, then
 * the lead's score (with SCORE_CHANGED and, on crossing the MQL threshold, the move to MQL), guarded
 * by the lead's version; a lead that changed in between is scored again from what was written.
 */
@Component
class LeadScorer {

	private static final Logger log = LoggerFactory.getLogger(LeadScorer.class);

	private static final int MAX_ATTEMPTS = 20;

	private final LeadService leads;

	private final TouchpointService touchpoints;

	private final ActivePolicies policies;

	private final MongoTemplate mongo;

	private final Clock clock;

	private final Set<String> repairs = java.util.concurrent.ConcurrentHashMap.newKeySet();

	LeadScorer(LeadService leads, TouchpointService touchpoints, ActivePolicies policies, MongoTemplate mongo,
			Clock clock) {
		this.leads = leads;
		this.touchpoints = touchpoints;
		this.policies = policies;
		this.mongo = mongo;
		this.clock = clock;
	}

	/** A lead, the score computed for it, and the lead's score and stage as read (the lead object changes when written). */
	record Scored(Lead lead, ScoreSheet sheet, @Nullable LeadScore scoreAsRead, Stage stageAsRead) {

		Scored(Lead lead, ScoreSheet sheet) {
			this(lead, sheet, lead.score(), lead.stage());
		}
	}

	/**
	 * Scores the leads now under the active policy: what their ledgers hold plus these fresh
	 * touchpoints, or their whole history when the ledger is missing or from another policy (new leads
	 * have none: nothing refers to them yet).
	 */
	void score(Collection<String> leadIds, List<Touchpoint> fresh, boolean newLeads) {
		score(leadIds, fresh, newLeads, false);
	}

	/**
	 * Scores these leads again soon, from their whole history: for leads whose scoring in a request
	 * failed or kept losing races, so their ledgers may lack touchpoints. Kept in memory; what a crash
	 * loses here the scheduled refresh repairs.
	 */
	void repairLater(Collection<String> leadIds) {
		repairs.addAll(leadIds);
	}

	@Scheduled(fixedDelayString = "${leadgraph.scoring.repair-interval:5s}",
			initialDelayString = "${leadgraph.scoring.repair-interval:5s}")
	void repair() {
		List<String> due = repairs.stream().limit(InLists.SLICE).toList();
		if (due.isEmpty()) {
			return;
		}
		due.forEach(repairs::remove);
		try {
			SystemCaller.runAs("system:scoring", () -> score(due, List.of(), false, true));
		}
		catch (RuntimeException ex) {
			repairs.addAll(due);
			log.warn("Repairing the scores of {} leads failed; retrying: {}", due.size(), ex.toString());
		}
	}

	private void score(Collection<String> leadIds, List<Touchpoint> fresh, boolean newLeads, boolean fromHistory) {
		CompiledPolicy policy = policies.current();
		if (policy == null || leadIds.isEmpty()) {
			return;
		}
		Map<String, List<TouchFacts>> freshByLead = byLead(fresh);
		Set<String> pending = new LinkedHashSet<>(leadIds);
		for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
			if (attempt > 1) {
				backOff(attempt);
			}
			Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
			List<Lead> current = leads.leadsById(pending);
			Map<String, LeadLedger> ledgers = ledgers(pending);
			List<String> needHistory = current.stream()
				.map(Lead::id)
				.filter(id -> fromHistory || ledgers.get(id) == null || !ledgers.get(id).isUnder(policy))
				.toList();
			Map<String, List<TouchFacts>> history = needHistory.isEmpty() || (newLeads && attempt == 1) ? Map.of()
					: byLead(touchpoints.touchpointsOfLeads(needHistory));
			List<Scored> scored = new ArrayList<>();
			for (Lead lead : current) {
				LeadLedger ledger = ledgers.get(lead.id());
				List<Match> matches = new ArrayList<>();
				if (!fromHistory && ledger != null && ledger.isUnder(policy)) {
					matches.addAll(ledger.retained());
					freshByLead.getOrDefault(lead.id(), List.of()).forEach(touch -> matches.addAll(policy.matches(touch)));
				}
				else {
					history.getOrDefault(lead.id(), List.of()).forEach(touch -> matches.addAll(policy.matches(touch)));
				}
				scored.add(new Scored(lead, policy.score(LeadFacts.of(lead), matches, now)));
			}
			pending = write(policy, scored, ledgers).lost();
		}
		if (!pending.isEmpty()) {
			log.warn("{} leads kept changing while being scored; scoring them again shortly", pending.size());
			repairLater(pending);
		}
	}

	/** Racing scorers of the same leads take turns instead of colliding again at once. */
	private static void backOff(int attempt) {
		try {
			Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 1L << Math.min(attempt, 6)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The ledgers of these leads, by lead id. */
	Map<String, LeadLedger> ledgers(Collection<String> leadIds) {
		Map<String, LeadLedger> byId = new HashMap<>();
		InLists.query(leadIds, ids -> mongo.find(Query.query(Criteria.where("_id").in(ids)), LeadLedger.class))
			.forEach(ledger -> byId.put(ledger.leadId(), ledger));
		return byId;
	}

	/**
	 * What writing scores did: the leads not written (changed meanwhile), how many changes were
	 * events, and how many leads became MQL.
	 */
	record Outcome(Set<String> lost, int changed, int qualified) {
	}

	/**
	 * Writes computed scores: ledgers (guarded by the revisions read) and then leads (guarded by the
	 * versions read). Returns the ids of leads whose score was not written because something changed.
	 */
	Outcome write(CompiledPolicy policy, List<Scored> scored, Map<String, LeadLedger> read) {
		if (scored.isEmpty()) {
			return new Outcome(Set.of(), 0, 0);
		}
		Map<String, LeadLedger> next = new LinkedHashMap<>();
		List<LeadLedger> inserts = new ArrayList<>();
		BulkOperations replaces = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, LeadLedger.class);
		int replaced = 0;
		for (Scored one : scored) {
			LeadLedger before = read.get(one.lead().id());
			long revision = before == null || before.revision() == null ? 0 : before.revision() + 1;
			LeadLedger ledger = ledger(policy, one, revision);
			next.put(ledger.leadId(), ledger);
			if (before == null) {
				inserts.add(ledger);
			}
			else {
				replaces.replaceOne(Query.query(Criteria.where("_id").is(before.leadId()).and("revision").is(before.revision())),
						ledger);
				replaced++;
			}
		}
		Set<String> lost = new HashSet<>();
		UnorderedInserts.insert(mongo, LeadLedger.class, inserts).forEach(i -> lost.add(inserts.get(i).leadId()));
		if (replaced > 0 && replaces.execute().getMatchedCount() < replaced) {
			Map<String, LeadLedger> stored = ledgers(next.keySet());
			next.values()
				.stream()
				.filter(ledger -> stored.get(ledger.leadId()) == null
						|| !stored.get(ledger.leadId()).stamp().equals(ledger.stamp()))
				.forEach(ledger -> lost.add(ledger.leadId()));
		}
		List<Scored> toWrite = scored.stream().filter(one -> !lost.contains(one.lead().id())).toList();
		int changed = 0;
		int qualified = 0;
		for (int attempt = 1; !toWrite.isEmpty(); attempt++) {
			List<ScoreUpdate> updates = toWrite.stream().map(one -> ScoreUpdates.of(policy, one)).toList();
			Set<String> missed = leads.applyScores(updates);
			for (ScoreUpdate update : updates) {
				if (!missed.contains(update.lead().id())) {
					changed += update.change() == null ? 0 : 1;
					qualified += update.qualifies() ? 1 : 0;
				}
			}
			toWrite = attempt < MAX_ATTEMPTS ? stillValid(toWrite, missed) : List.of();
			Set<String> retried = new HashSet<>();
			toWrite.forEach(one -> retried.add(one.lead().id()));
			missed.stream().filter(id -> !retried.contains(id)).forEach(lost::add);
		}
		return new Outcome(lost, changed, qualified);
	}

	/**
	 * The scores whose lead write missed only because the lead changed in a way that does not touch
	 * the score (its events were numbered, say): same fit fields, same score as when read. Those are
	 * written again as computed, onto the lead as it is now; the others must be computed again.
	 */
	private List<Scored> stillValid(List<Scored> attempted, Set<String> missed) {
		if (missed.isEmpty()) {
			return List.of();
		}
		Map<String, Lead> now = new HashMap<>();
		leads.leadsById(missed).forEach(lead -> now.put(lead.id(), lead));
		List<Scored> valid = new ArrayList<>();
		for (Scored one : attempted) {
			Lead current = now.get(one.lead().id());
			if (current != null && missed.contains(current.id()) && LeadFacts.of(current).equals(LeadFacts.of(one.lead()))
					&& java.util.Objects.equals(current.score(), one.scoreAsRead()) && current.stage() == one.stageAsRead()) {
				valid.add(new Scored(current, one.sheet()));
			}
		}
		return valid;
	}

	private static LeadLedger ledger(CompiledPolicy policy, Scored scored, long revision) {
		ScoreSheet sheet = scored.sheet();
		return new LeadLedger(scored.lead().id(), policy.policyId(), policy.version(), sheet.asOf(), sheet.fit(),
				sheet.engagement(), sheet.total(), sheet.grade(), sheet.qualifies(), sheet.entries(),
				new ObjectId().toHexString(), revision);
	}

	private static Map<String, List<TouchFacts>> byLead(List<Touchpoint> touchpoints) {
		Map<String, List<TouchFacts>> byLead = new HashMap<>();
		touchpoints.forEach(touchpoint -> byLead.computeIfAbsent(touchpoint.leadId(), id -> new ArrayList<>())
			.add(TouchFacts.of(touchpoint)));
		return byLead;
	}
}
