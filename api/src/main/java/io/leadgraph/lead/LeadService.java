package io.leadgraph.lead;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.MongoBulkWriteException;
import org.jspecify.annotations.Nullable;

import io.leadgraph.event.EventLog;
import io.leadgraph.event.PendingEvent;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadInputs.LeadFilter;
import io.leadgraph.lead.LeadInputs.LeadOrder;
import io.leadgraph.lead.LeadInputs.MoveLeadStageInput;
import io.leadgraph.lead.LeadInputs.UpdateLeadInput;
import io.leadgraph.lead.LeadPayloads.CreateLeadPayload;
import io.leadgraph.lead.LeadPayloads.LeadAlreadyExists;
import io.leadgraph.lead.LeadPayloads.LeadCreated;
import io.leadgraph.lead.LeadPayloads.LeadUpdated;
import io.leadgraph.lead.LeadPayloads.LeadVersionConflict;
import io.leadgraph.lead.LeadPayloads.MoveLeadStagePayload;
import io.leadgraph.lead.LeadPayloads.StageMoved;
import io.leadgraph.lead.LeadPayloads.StageRefusalReason;
import io.leadgraph.lead.LeadPayloads.StageTransitionRefused;
import io.leadgraph.lead.LeadPayloads.UpdateLeadPayload;
import io.leadgraph.security.Caller;
import io.leadgraph.support.FieldProblem;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.NotFoundException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The lead feature's public face. Each write is one version-guarded document update carrying its
 * events; a write that loses a race is re-read and re-decided (never blindly overwritten), unless
 * the caller pinned {@code expectedVersion}, in which case it is refused.
 */
@Service
public class LeadService {

	private static final int MAX_ATTEMPTS = 20;

	private final Leads leads;

	private final LeadOutboxRelay relay;

	private final EventLog eventLog;

	private final MongoTemplate mongo;

	private final Clock clock;

	LeadService(Leads leads, LeadOutboxRelay relay, EventLog eventLog, MongoTemplate mongo, Clock clock) {
		this.leads = leads;
		this.relay = relay;
		this.eventLog = eventLog;
		this.mongo = mongo;
		this.clock = clock;
	}

	/** Whether no lead exists yet (used to load demo data only into an empty store). */
	@PreAuthorize("hasRole('admin')")
	public boolean isEmpty() {
		return leads.findAll(PageRequest.of(0, 1)).isEmpty();
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Optional<Lead> lead(String id) {
		return leads.findById(id);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public Window<Lead> leads(@Nullable LeadFilter filter, @Nullable LeadOrder order, ScrollSubrange page) {
		var predicate = LeadSearch.predicate(filter);
		var sort = LeadSearch.sort(order);
		LeadSearch.checkCursorFits(page, sort);
		int limit = page.count().orElse(20);
		return leads.findBy(predicate,
				query -> query.sortBy(sort).limit(limit).scroll(page.position().orElseThrow()));
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public CreateLeadPayload createLead(CreateLeadInput input) {
		return create(input);
	}

	/**
	 * The outcome of capturing one lead in {@link #captureLeads}: the lead (new, or the one that has
	 * the email), or the first problem with the input.
	 */
	public record Capture(@Nullable Lead lead, boolean created, @Nullable FieldProblem problem) {
	}

	/**
	 * Lead capture in bulk, one outcome per input in order: new leads are inserted together (emails
	 * taken meanwhile by another writer answer with that lead) and their events relayed together. The
	 * same email twice in the list captures once.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'automation')")
	public List<Capture> captureLeads(List<CreateLeadInput> inputs) {
		String actor = Caller.current().actor();
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
		Set<String> taken = insertAll(List.copyOf(fresh.values()));
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

	/** Inserts the leads unordered; returns the emails another writer took first. */
	private Set<String> insertAll(List<Lead> fresh) {
		if (fresh.isEmpty()) {
			return Set.of();
		}
		try {
			mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Lead.class).insert(fresh).execute();
			return Set.of();
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof MongoBulkWriteException bulk
						&& bulk.getWriteErrors().stream().allMatch(error -> error.getCode() == 11000)) {
					Set<String> taken = new HashSet<>();
					bulk.getWriteErrors().forEach(error -> taken.add(fresh.get(error.getIndex()).email()));
					return taken;
				}
			}
			throw ex;
		}
	}

	/** Leads by id, for features that resolve references in bulk; unknown ids are left out. */
	@PreAuthorize("isAuthenticated()")
	public Map<String, Lead> leadsById(Collection<String> ids) {
		Map<String, Lead> found = new HashMap<>();
		leads.findAllById(ids).forEach(lead -> found.put(lead.id(), lead));
		return found;
	}

	/** Leads by email (normalised here), keyed by normalised email; unknown emails are left out. */
	@PreAuthorize("isAuthenticated()")
	public Map<String, Lead> leadsByEmail(Collection<String> emails) {
		Map<String, Lead> found = new HashMap<>();
		leads.findByEmailIn(emails.stream().map(LeadInputRules::normaliseEmail).distinct().toList())
			.forEach(lead -> found.put(lead.email(), lead));
		return found;
	}

	/**
	 * Numbers events other features caused into their leads' logs (gap-free seq, same outbox and relay
	 * as the leads' own events), for many leads at once: one read, one bulk of version-guarded
	 * appends, one relay. Drafts the outbox or the log already holds are skipped, so a retry records
	 * nothing twice. The caller has checked the caller's rights.
	 */
	@PreAuthorize("isAuthenticated()")
	public void recordEvents(Map<String, List<LeadEventDraft>> draftsByLead) {
		Map<String, List<LeadEventDraft>> remaining = new HashMap<>(draftsByLead);
		for (int attempt = 1; !remaining.isEmpty(); attempt++) {
			// read the leads before asking the log: a relay empties an outbox only after appending, so a
			// draft found in neither was never recorded
			List<Lead> current = leads.findAllById(remaining.keySet());
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
			relay.relay(leads.findAllById(written.stream().map(Lead::id).toList()));
			if (attempt >= MAX_ATTEMPTS) {
				throw new OptimisticLockingFailureException("Leads kept changing while recording their events");
			}
			// some leads changed meanwhile: the next round re-reads them and records what is still missing
		}
	}

	private CreateLeadPayload create(CreateLeadInput input) {
		CreateLeadInput valid = LeadInputRules.create(input);
		Lead lead = Lead.create(valid, Caller.current().actor(), clock.instant());
		try {
			leads.insert(lead);
		}
		catch (DuplicateKeyException exists) {
			return new LeadAlreadyExists(existing(valid.email()));
		}
		relay.relay(lead);
		return new LeadCreated(lead);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public UpdateLeadPayload updateLead(UpdateLeadInput input) {
		UpdateLeadInput valid = LeadInputRules.update(input);
		String actor = Caller.current().actor();
		for (int attempt = 1;; attempt++) {
			Lead lead = require(valid.id());
			if (stale(lead, valid.expectedVersion())) {
				return new LeadVersionConflict(valid.expectedVersion(), lead);
			}
			List<FieldChange> changes = lead.update(valid, actor, clock.instant());
			if (lead.attributeCount() > LeadInputRules.MAX_ATTRIBUTES) {
				throw new InvalidInputException("input.attributes", "TOO_MANY_ATTRIBUTES",
						"a lead holds at most " + LeadInputRules.MAX_ATTRIBUTES + " attributes");
			}
			if (changes.isEmpty()) {
				return new LeadUpdated(lead, List.of());
			}
			try {
				Lead saved = leads.save(lead);
				relay.relay(saved);
				return new LeadUpdated(saved, changes.stream().map(FieldChange::field).toList());
			}
			catch (DuplicateKeyException emailTaken) {
				return new LeadAlreadyExists(existing(lead.email()));
			}
			catch (OptimisticLockingFailureException concurrentWrite) {
				if (valid.expectedVersion() != null) {
					return new LeadVersionConflict(valid.expectedVersion(), require(valid.id()));
				}
				giveUpAfter(attempt, concurrentWrite);
			}
		}
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales')")
	public MoveLeadStagePayload moveLeadStage(MoveLeadStageInput input) {
		var problems = new InputProblems();
		String reason = LeadInputRules.reason(problems, input.reason());
		problems.throwIfAny();
		Caller caller = Caller.current();
		for (int attempt = 1;; attempt++) {
			Lead lead = require(input.leadId());
			StageTransitionRefused refusal = refusal(caller, lead, input, reason);
			if (refusal != null) {
				return refusal;
			}
			StageTransition transition = lead.moveTo(input.to(), reason, caller.actor(), clock.instant());
			try {
				Lead saved = leads.save(lead);
				relay.relay(saved);
				return new StageMoved(saved, transition);
			}
			catch (OptimisticLockingFailureException concurrentWrite) {
				giveUpAfter(attempt, concurrentWrite);
			}
		}
	}

	private @Nullable StageTransitionRefused refusal(Caller caller, Lead lead, MoveLeadStageInput input,
			@Nullable String reason) {
		Stage from = lead.stage();
		Stage to = input.to();
		List<Stage> allowed = Lifecycle.allowed(caller, from);
		if (stale(lead, input.expectedVersion())) {
			return new StageTransitionRefused(StageRefusalReason.STALE_VERSION,
					"The lead changed since version " + input.expectedVersion() + "; it is now at version "
							+ lead.version(),
					from, allowed);
		}
		if (from == to) {
			return new StageTransitionRefused(StageRefusalReason.ALREADY_IN_STAGE, "The lead is already " + to,
					from, allowed);
		}
		if (!Lifecycle.exists(from, to)) {
			return new StageTransitionRefused(StageRefusalReason.ILLEGAL_TRANSITION,
					"The lifecycle has no move from " + from + " to " + to, from, allowed);
		}
		if (!Lifecycle.permits(caller, from, to)) {
			return new StageTransitionRefused(StageRefusalReason.NOT_PERMITTED_FOR_ROLE,
					"The move from " + from + " to " + to + " belongs to another team", from, allowed);
		}
		if (Lifecycle.needsReason(to) && reason == null) {
			return new StageTransitionRefused(StageRefusalReason.REASON_REQUIRED,
					"A move to " + to + " needs a reason", from, allowed);
		}
		return null;
	}

	private static boolean stale(Lead lead, @Nullable Long expectedVersion) {
		return expectedVersion != null && !expectedVersion.equals(lead.version());
	}

	private Lead require(String id) {
		return leads.findById(id).orElseThrow(() -> new NotFoundException("Lead", id));
	}

	private Lead existing(String email) {
		return leads.findByEmail(email)
			.orElseThrow(() -> new IllegalStateException("Duplicate email but no lead has it"));
	}

	private static void giveUpAfter(int attempt, OptimisticLockingFailureException ex) {
		if (attempt >= MAX_ATTEMPTS) {
			throw ex;
		}
	}
}
