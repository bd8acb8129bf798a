package io.leadgraph.lead;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

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
import io.leadgraph.security.Role;
import io.leadgraph.support.InLists;
import io.leadgraph.support.FieldProblem;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.NotFoundException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
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

	static final int MAX_ATTEMPTS = 20;

	private final Leads leads;

	private final LeadOutboxRelay relay;

	private final LeadBatches batches;

	private final MongoTemplate mongo;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	LeadService(Leads leads, LeadOutboxRelay relay, LeadBatches batches, MongoTemplate mongo,
			ApplicationEventPublisher publisher, Clock clock) {
		this.leads = leads;
		this.relay = relay;
		this.batches = batches;
		this.mongo = mongo;
		this.publisher = publisher;
		this.clock = clock;
	}

	/** Whether no lead exists yet (used to load demo data only into an empty store). */
	@PreAuthorize("hasRole('admin')")
	public boolean isEmpty() {
		return leads.findAll(PageRequest.of(0, 1)).isEmpty();
	}

	/**
	 * The lead with that id. Partners never see a lead: to them every id answers as none exists, so
	 * that an answer tells them nothing about leads they did not refer.
	 */
	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales', 'partner')")
	public Optional<Lead> lead(String id) {
		Caller caller = Caller.current();
		if (!caller.has(Role.ADMIN) && !caller.has(Role.MARKETING) && !caller.has(Role.SALES)) {
			return Optional.empty();
		}
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
		List<Capture> captures = batches.capture(inputs, Caller.current().actor());
		List<String> created = captures.stream()
			.filter(Capture::created)
			.map(capture -> java.util.Objects.requireNonNull(capture.lead()).id())
			.toList();
		if (!created.isEmpty()) {
			publisher.publishEvent(new LeadsChanged(created, true));
		}
		return captures;
	}

	/** Leads by id, for features that derive data from many leads at once; unknown ids are left out. */
	@PreAuthorize("isAuthenticated()")
	public List<Lead> leadsById(Collection<String> ids) {
		return InLists.query(ids, leads::findAllById);
	}

	/**
	 * Every lead after the given id, in id order, as one streaming read (close the stream): for passes
	 * over all leads such as re-scoring.
	 */
	@PreAuthorize("isAuthenticated()")
	public Stream<Lead> streamLeads(@Nullable String afterId) {
		Query query = new Query().with(Sort.by("_id")).cursorBatchSize(1000);
		if (afterId != null) {
			query.addCriteria(Criteria.where("_id").gt(new ObjectId(afterId)));
		}
		return mongo.stream(query, Lead.class);
	}

	@PreAuthorize("isAuthenticated()")
	public long countLeads() {
		return mongo.estimatedCount(Lead.class);
	}

	/**
	 * Writes scores computed by the scoring feature, with their SCORE_CHANGED events and automatic MQL
	 * moves, for many leads at once. Returns the ids of leads that changed after they were read: their
	 * scores were not written, and should be computed again.
	 */
	@PreAuthorize("isAuthenticated()")
	public Set<String> applyScores(List<ScoreUpdate> updates) {
		return batches.applyScores(updates);
	}

	/** Which of these ids are leads', for features that resolve references in bulk. */
	@PreAuthorize("isAuthenticated()")
	public Set<String> existingLeadIds(Collection<String> ids) {
		Set<String> found = new HashSet<>();
		InLists.query(ids, leads::findKeysByIdIn).forEach(key -> found.add(key.id()));
		return found;
	}

	/**
	 * The input as {@link #createLead} would take it (normalised), or the {@link InvalidInputException}
	 * it would answer: for features that check a lead before they commit to anything.
	 */
	@PreAuthorize("isAuthenticated()")
	public CreateLeadInput checkLead(CreateLeadInput input) {
		return LeadInputRules.create(input);
	}

	/**
	 * A lead in one of these stages whose company has this domain or whose email is at it (normalised
	 * here), if there is one.
	 */
	@PreAuthorize("isAuthenticated()")
	public Optional<Lead> leadOfDomainIn(String domain, Collection<Stage> stages) {
		String normalised = LeadInputRules.normaliseDomain(domain);
		// search terms hold the email's domain (see Lead.SearchTerms), indexed like the company's
		Criteria ofDomain = new Criteria().orOperator(Criteria.where("company.domain").is(normalised),
				Criteria.where("searchTerms").is(normalised));
		return Optional.ofNullable(mongo.findOne(
				Query.query(Criteria.where("stage").in(stages).andOperator(ofDomain)), Lead.class));
	}

	/** A lead in one of the stages whose company has that name ({@link CompanyNames}: case, accents, legal form ignored). */
	@PreAuthorize("isAuthenticated()")
	public Optional<Lead> leadOfCompanyNameIn(String name, Collection<Stage> stages) {
		String key = CompanyNames.normalise(name);
		return key == null ? Optional.empty()
				: Optional.ofNullable(mongo.findOne(
						Query.query(Criteria.where("companyKey").is(key).and("stage").in(stages)), Lead.class));
	}

	/** Lead ids by email (normalised here), keyed by normalised email; unknown emails are left out. */
	@PreAuthorize("isAuthenticated()")
	public Map<String, String> leadIdsByEmail(Collection<String> emails) {
		Map<String, String> found = new HashMap<>();
		InLists.query(emails.stream().map(LeadInputRules::normaliseEmail).distinct().toList(), leads::findKeysByEmailIn)
			.forEach(key -> found.put(key.email(), key.id()));
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
		batches.recordEvents(draftsByLead);
	}

	/**
	 * Applies the sales handoff's changes (owner on assignment, stage on accept or reject, engagement
	 * reset), each with its event, in one bulk of version-guarded writes; idempotent by the events'
	 * ids. Leads whose engagement was reset are announced as changed (so they are scored again). A handover whose
	 * lead left the required stage is not applied. The caller has checked the caller's rights.
	 */
	@PreAuthorize("isAuthenticated()")
	public Map<Handover, Handover.Outcome> handOver(List<Handover> handovers) {
		Map<Handover, Handover.Outcome> outcomes = batches.handOver(handovers);
		List<String> reset = handovers.stream()
			// also when written before: a crash may have come between that write and this announcement
			.filter(handover -> handover.resetEngagement() && (outcomes.get(handover) == Handover.Outcome.APPLIED
					|| outcomes.get(handover) == Handover.Outcome.ALREADY_APPLIED))
			.map(Handover::leadId)
			.distinct()
			.toList();
		if (!reset.isEmpty()) {
			publisher.publishEvent(new LeadsChanged(reset, false));
		}
		return outcomes;
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
		publisher.publishEvent(new LeadsChanged(List.of(lead.id()), true));
		// re-read: listeners (scoring) may have changed it in this request
		return new LeadCreated(leads.findById(lead.id()).orElse(lead));
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
				publisher.publishEvent(new LeadsChanged(List.of(saved.id()), false));
				return new LeadUpdated(require(saved.id()), changes.stream().map(FieldChange::field).toList());
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
