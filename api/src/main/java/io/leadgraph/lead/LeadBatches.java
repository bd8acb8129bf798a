package io.leadgraph.lead;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.leadgraph.event.EventLog;
import io.leadgraph.event.PendingEvent;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadService.Capture;
import io.leadgraph.support.InLists;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.UnorderedInserts;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The bulk writes other features drive through {@link LeadService}: capturing many leads and
 * numbering many leads' events, each in a constant number of store round trips.
 */
@Component
class LeadBatches {

	private final Leads leads;

	private final LeadOutboxRelay relay;

	private final EventLog eventLog;

	private final MongoTemplate mongo;

	private final Clock clock;

	LeadBatches(Leads leads, LeadOutboxRelay relay, EventLog eventLog, MongoTemplate mongo, Clock clock) {
		this.leads = leads;
		this.relay = relay;
		this.eventLog = eventLog;
		this.mongo = mongo;
		this.clock = clock;
	}

	List<Capture> capture(List<CreateLeadInput> inputs, String actor) {
		Instant now = clock.instant();
		List<CreateLeadInput> valid = new ArrayList<>();
		Capture[] outcomes = new Capture[inputs.size()];
		for (int i = 0; i < inputs.size(); i++) {
			try {
				valid.add(LeadInputRules.create(inputs.get(i)));
			}
			catch (InvalidInputException invalid) {
				valid.add(null);
				outcomes[i] = new Capture(null, false, invalid.problems().getFirst());
			}
		}
		Map<String, Lead> byEmail = new HashMap<>();
		leads.findByEmailIn(valid.stream().filter(v -> v != null).map(CreateLeadInput::email).distinct().toList())
			.forEach(lead -> byEmail.put(lead.email(), lead));
		Map<String, Lead> fresh = new LinkedHashMap<>();
		for (CreateLeadInput input : valid) {
			if (input != null && !byEmail.containsKey(input.email()) && !fresh.containsKey(input.email())) {
				fresh.put(input.email(), Lead.create(input, actor, now));
			}
		}
		List<Lead> candidates = List.copyOf(fresh.values());
		Set<String> taken = new HashSet<>();
		UnorderedInserts.insert(mongo, Lead.class, candidates).forEach(i -> taken.add(candidates.get(i).email()));
		if (!taken.isEmpty()) {
			leads.findByEmailIn(taken).forEach(lead -> byEmail.put(lead.email(), lead));
		}
		List<Lead> created = fresh.values().stream().filter(lead -> !taken.contains(lead.email())).toList();
		created.forEach(lead -> byEmail.put(lead.email(), lead));
		relay.relay(created);
		Set<String> announced = new HashSet<>();
		for (int i = 0; i < inputs.size(); i++) {
			if (outcomes[i] == null) {
				String email = valid.get(i).email();
				boolean isNew = created.stream().anyMatch(lead -> lead.email().equals(email)) && announced.add(email);
				outcomes[i] = new Capture(byEmail.get(email), isNew, null);
			}
		}
		return List.of(outcomes);
	}

	/**
	 * Writes scores (with their events and MQL moves) in one bulk of version-guarded updates; returns
	 * the ids of the leads that changed since they were read, whose scores were not written.
	 */
	Set<String> applyScores(List<ScoreUpdate> updates) {
		Instant now = clock.instant();
		BulkOperations writes = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Lead.class);
		List<Lead> written = new ArrayList<>();
		for (ScoreUpdate score : updates) {
			Lead lead = score.lead();
			long version = java.util.Objects.requireNonNull(lead.version());
			int pending = lead.outbox().size();
			StageTransition moved = lead.applyScore(score.score(), score.change(), score.qualifies(), score.reason(),
					score.trigger(), now);
			Update update = new Update().set("score", score.score()).inc("version", 1);
			List<PendingEvent> fresh = lead.outbox().subList(pending, lead.outbox().size());
			if (!fresh.isEmpty()) {
				update.push("outbox").each(fresh.toArray()).set("eventSeq", lead.eventSeq());
			}
			if (moved != null) {
				update.set("stage", moved.to()).push("stageHistory", moved).set("updatedAt", now);
			}
			writes.updateOne(Query.query(Criteria.where("_id").is(lead.id()).and("version").is(version)), update);
			written.add(lead);
		}
		if (written.isEmpty()) {
			return Set.of();
		}
		if (writes.execute().getMatchedCount() == written.size()) {
			relay.relay(written.stream().filter(lead -> !lead.outbox().isEmpty()).toList());
			return Set.of();
		}
		Map<String, LeadScore> intended = new HashMap<>();
		updates.forEach(update -> intended.put(update.lead().id(), update.score()));
		List<Lead> current = InLists.query(intended.keySet(), leads::findAllById);
		relay.relay(current.stream().filter(lead -> !lead.outbox().isEmpty()).toList());
		Set<String> lost = new HashSet<>(intended.keySet());
		current.stream()
			.filter(lead -> intended.get(lead.id()).equals(lead.score()))
			.forEach(lead -> lost.remove(lead.id()));
		return lost;
	}

	/**
	 * Applies handovers, each lead's in one version-guarded write with its events; a lead that changed
	 * meanwhile is re-read and re-decided. Idempotent by the handovers' event ids.
	 */
	Map<Handover, Handover.Outcome> handOver(List<Handover> handovers) {
		Map<Handover, Handover.Outcome> outcomes = new HashMap<>();
		Set<String> attempted = new HashSet<>();
		List<Handover> remaining = List.copyOf(handovers);
		for (int attempt = 1; !remaining.isEmpty(); attempt++) {
			Map<String, Lead> current = new HashMap<>();
			InLists.query(remaining.stream().map(Handover::leadId).distinct().toList(), leads::findAllById)
				.forEach(lead -> current.put(lead.id(), lead));
			Set<String> logged = eventLog.contains(remaining.stream().map(h -> h.event().eventId()).toList());
			Instant now = clock.instant();
			Map<String, Long> versions = new LinkedHashMap<>();
			List<Handover> tried = new ArrayList<>();
			for (Handover handover : remaining) {
				Lead lead = current.get(handover.leadId());
				String eventId = handover.event().eventId();
				if (lead == null) {
					outcomes.put(handover, Handover.Outcome.NOT_FOUND);
				}
				else if (logged.contains(eventId) || lead.holds(eventId)) {
					outcomes.put(handover, attempted.contains(eventId) ? Handover.Outcome.APPLIED
							: Handover.Outcome.ALREADY_APPLIED);
				}
				else if (lead.stage() != handover.requiredStage()) {
					outcomes.put(handover, Handover.Outcome.WRONG_STAGE);
				}
				else {
					versions.putIfAbsent(lead.id(), lead.version());
					lead.handOver(handover.owner(), handover.moveTo(), handover.reason(), handover.resetEngagement(),
							handover.event(), now);
					attempted.add(eventId);
					tried.add(handover);
				}
			}
			if (tried.isEmpty()) {
				return outcomes;
			}
			BulkOperations writes = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Lead.class);
			versions.forEach((id, version) -> {
				Lead lead = current.get(id);
				writes.updateOne(Query.query(Criteria.where("_id").is(id).and("version").is(version)),
						new Update().set("owner", lead.owner())
							.set("stage", lead.stage())
							.set("stageHistory", lead.stageHistory())
							.set("outbox", lead.outbox())
							.set("eventSeq", lead.eventSeq())
							.set("updatedAt", lead.updatedAt())
							.set("engagementResetAt", lead.engagementResetAt())
							.inc("version", 1));
			});
			if (writes.execute().getMatchedCount() == versions.size()) {
				relay.relay(versions.keySet().stream().map(current::get).toList());
				tried.forEach(handover -> outcomes.put(handover, Handover.Outcome.APPLIED));
				return outcomes;
			}
			// only what the store holds may be relayed; the next round tells written from lost
			relay.relay(InLists.query(versions.keySet(), leads::findAllById));
			if (attempt >= LeadService.MAX_ATTEMPTS) {
				throw new OptimisticLockingFailureException("Leads kept changing while handing them over");
			}
			remaining = tried;
		}
		return outcomes;
	}

	void recordEvents(Map<String, List<LeadEventDraft>> draftsByLead) {
		Map<String, List<LeadEventDraft>> remaining = new HashMap<>(draftsByLead);
		for (int attempt = 1; !remaining.isEmpty(); attempt++) {
			// read the leads before asking the log: a relay empties an outbox only after appending, so a
			// draft found in neither was never recorded
			List<Lead> current = InLists.query(remaining.keySet(), leads::findAllById);
			Set<String> logged = eventLog.contains(
					remaining.values().stream().flatMap(List::stream).map(LeadEventDraft::eventId).toList());
			Instant now = clock.instant();
			BulkOperations appends = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Lead.class);
			List<Lead> written = new ArrayList<>();
			for (Lead lead : current) {
				List<PendingEvent> fresh = new ArrayList<>();
				for (LeadEventDraft draft : remaining.get(lead.id())) {
					PendingEvent event = logged.contains(draft.eventId()) ? null : lead.record(draft, now);
					if (event != null) {
						fresh.add(event);
					}
				}
				if (!fresh.isEmpty()) {
					appends.updateOne(Query.query(Criteria.where("_id").is(lead.id()).and("version").is(lead.version())),
							new Update().push("outbox")
								.each(fresh.toArray())
								.set("eventSeq", lead.eventSeq())
								.inc("version", 1));
					written.add(lead);
				}
			}
			if (written.isEmpty()) {
				return;
			}
			int matched = appends.execute().getMatchedCount();
			if (matched == written.size()) {
				relay.relay(written);
				return;
			}
			// only what the store holds may be relayed: the in-memory outboxes of the leads that lost
			// the race were never written
			relay.relay(InLists.query(written.stream().map(Lead::id).toList(), leads::findAllById));
			if (attempt >= LeadService.MAX_ATTEMPTS) {
				throw new OptimisticLockingFailureException("Leads kept changing while recording their events");
			}
			// some leads changed meanwhile: the next round re-reads them and records what is still missing
		}
	}
}
