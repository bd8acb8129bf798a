package io.leadgraph.partner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadPayloads.LeadAlreadyExists;
import io.leadgraph.lead.LeadPayloads.LeadCreated;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.LeadSource;
import io.leadgraph.lead.Stage;
import io.leadgraph.lead.StageTransition;
import io.leadgraph.partner.PartnerPayloads.ReferralAccepted;
import io.leadgraph.partner.PartnerPayloads.ReferralConflict;
import io.leadgraph.partner.PartnerPayloads.ReferralStatus;
import io.leadgraph.partner.PartnerPayloads.ReferralView;
import io.leadgraph.partner.PartnerPayloads.ReferredLead;
import io.leadgraph.partner.PartnerPayloads.SubmitReferralPayload;
import io.leadgraph.partner.Referral.ConflictReason;
import io.leadgraph.partner.Referral.State;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.stereotype.Component;

/**
 * Decides a recorded referral: checks for customers and open opportunities, claims its registration
 * keys in one order (so of two partners racing for one company exactly one wins), creates or
 * registers the lead, records the decision on the lead's log and stores the outcome. Everything
 * comes from the referral as stored, so a retry that takes over one left by a dead instance decides
 * the same.
 */
@Component
class ReferralDecisions {

	/** A referral left PROCESSING this long (its instance died) is taken over by a retry. */
	static final Duration TAKE_OVER_AFTER = Duration.ofSeconds(30);

	private static final Duration WAIT_FOR_ORIGINAL = Duration.ofSeconds(5);

	private final MongoTemplate mongo;

	private final LeadService leads;

	private final Clock clock;

	ReferralDecisions(MongoTemplate mongo, LeadService leads, Clock clock) {
		this.mongo = mongo;
		this.leads = leads;
		this.clock = clock;
	}

	/**
	 * The original of a retried referral: decided, or — left PROCESSING longer than
	 * {@link #TAKE_OVER_AFTER} by an instance that died — taken over (still PROCESSING, claimed by this
	 * caller, to be decided from its stored contact). Waits a few seconds for one being decided.
	 */
	Referral retryOf(String key) {
		long deadline = System.nanoTime() + WAIT_FOR_ORIGINAL.toNanos();
		while (true) {
			Referral original = Objects.requireNonNull(
					mongo.findOne(Query.query(Criteria.where("key").is(key)), Referral.class));
			if (original.state() != State.PROCESSING) {
				return original;
			}
			Instant now = clock.instant();
			if (original.claimedAt().plus(TAKE_OVER_AFTER).isBefore(now)) {
				boolean taken = mongo.updateFirst(Query.query(Criteria.where("_id").is(original.id())
					.and("claimedAt").is(original.claimedAt())
					.and("state").is(State.PROCESSING)), new Update().set("claimedAt", now), Referral.class)
					.getModifiedCount() == 1;
				if (taken) {
					return original.claimedAt(now);
				}
			}
			pause(deadline);
		}
	}

	private static void pause(long deadline) {
		if (System.nanoTime() > deadline) {
			throw new OptimisticLockingFailureException("The referral is still being decided; retry");
		}
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OptimisticLockingFailureException("Interrupted while waiting for the referral");
		}
	}

	/**
	 * Checks and registers, from the referral as stored (so a takeover decides the same); the
	 * referral's claim is this caller's.
	 */
	SubmitReferralPayload decide(Referral referral, Partner partner) {
		// the store keeps milliseconds: what the event says must equal what the referral says
		Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Referral.Contact contact = referral.contact();
		Optional<Lead> byEmail = leads.leadIdsByEmail(List.of(contact.email()))
			.values()
			.stream()
			.findFirst()
			.flatMap(id -> leads.leadsById(List.of(id)).stream().findFirst());
		// a takeover of a referral whose first attempt got as far as its lead finishes that acceptance
		List<Stage> blockingStages = referral.leadId() != null ? List.of() : List.of(Stage.CUSTOMER, Stage.OPPORTUNITY);
		for (Stage blocking : blockingStages) {
			Optional<Lead> found = byEmail.filter(lead -> lead.stage() == blocking);
			for (String domain : ReferralMatching.domains(referral.keys())) {
				found = found.or(() -> leads.leadOfDomainIn(domain, List.of(blocking)));
			}
			for (String name : ReferralMatching.name(referral.keys()).stream().toList()) {
				found = found.or(() -> leads.leadOfCompanyNameIn(name, List.of(blocking)));
			}
			if (found.isPresent()) {
				ConflictReason reason = blocking == Stage.CUSTOMER ? ConflictReason.EXISTING_CUSTOMER
						: ConflictReason.OPEN_OPPORTUNITY;
				return conflict(referral, reason, reachedAt(found.get(), blocking), found.get().id());
			}
		}
		Instant until = now.plus(Duration.ofDays(partner.protectionDays()));
		List<String> claimed = new ArrayList<>();
		for (String key : referral.keys()) {
			Registration held = register(new Registration(key, partner.id(), referral.id(), null, now, until));
			if (!held.referralId().equals(referral.id())) {
				// another referral holds the key: give back what this one claimed, and say since when
				mongo.remove(Query.query(Criteria.where("_id").in(claimed).and("referralId").is(referral.id())),
						Registration.class);
				ConflictReason reason = held.partnerId().equals(partner.id()) ? ConflictReason.ALREADY_SUBMITTED
						: ConflictReason.ALREADY_REGISTERED;
				return conflict(referral, reason, held.since(), byEmail.map(Lead::id).orElse(held.leadId()));
			}
			if (claimed.isEmpty()) {
				until = held.until(); // a takeover keeps what the original registered
			}
			claimed.add(key);
		}
		String leadId = referral.leadId() != null ? referral.leadId()
				: byEmail.map(Lead::id).orElseGet(() -> create(contact));
		Stage stage = referral.acceptedStage() != null ? referral.acceptedStage()
				: byEmail.map(Lead::stage).orElse(Stage.NEW);
		mongo.updateMulti(Query.query(Criteria.where("_id").in(claimed).and("referralId").is(referral.id())),
				new Update().set("leadId", leadId), Registration.class);
		// the lead before the event: a partner's event stream that sees the event finds the referral
		mongo.updateFirst(claimedQuery(referral),
				new Update().set("leadId", leadId).set("protectedUntil", until).set("acceptedStage", stage), Referral.class);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("referralId", referral.id());
		payload.put("partnerId", partner.id());
		payload.put("reference", referral.reference());
		payload.put("protectedUntil", until.toString());
		payload.put("stage", stage.name());
		leads.recordEvents(Map.of(leadId, List.of(new LeadEventDraft(referral.id() + ":accepted",
				PartnerEvents.ACCEPTED, PartnerService.actor(partner), payload))));
		Instant recallAt = now.plus(Duration.ofDays(partner.recallDays()));
		return finish(referral, new Update().set("state", State.ACCEPTED)
			.set("leadId", leadId)
			.set("protectedUntil", until)
			.set("acceptedStage", stage)
			.set("recallAt", recallAt)
			.set("timerAt", recallAt.isBefore(until) ? recallAt : until));
	}

	/**
	 * Inserts the registration, or answers the one that holds its key: this referral's own (a
	 * takeover), another's still protected; an expired one is removed (only as it was read) first.
	 */
	private Registration register(Registration registration) {
		while (true) {
			try {
				mongo.insert(registration);
				return registration;
			}
			catch (DuplicateKeyException taken) {
				Registration existing = mongo.findById(registration.key(), Registration.class);
				if (existing == null) {
					continue; // expired and removed meanwhile
				}
				if (existing.referralId().equals(registration.referralId()) || existing.until().isAfter(registration.since())) {
					return existing;
				}
				mongo.remove(Query.query(Criteria.where("_id").is(existing.key()).and("referralId").is(existing.referralId())),
						Registration.class);
			}
		}
	}

	private String create(Referral.Contact contact) {
		var created = leads.createLead(leadInput(contact));
		if (created instanceof LeadCreated(Lead lead)) {
			return lead.id();
		}
		return ((LeadAlreadyExists) created).existingLead().id(); // captured meanwhile by another writer
	}

	private SubmitReferralPayload conflict(Referral referral, ConflictReason reason, Instant since,
			@Nullable String leadId) {
		if (leadId != null) {
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("referralId", referral.id());
			payload.put("partnerId", referral.partnerId());
			payload.put("reason", reason.name());
			payload.put("since", since.toString());
			leads.recordEvents(Map.of(leadId, List.of(new LeadEventDraft(referral.id() + ":conflict",
					PartnerEvents.CONFLICT, "partner:" + referral.partnerId(), payload))));
		}
		return finish(referral, new Update().set("state", State.CONFLICT).set("conflict", reason).set("conflictSince", since));
	}

	/**
	 * Stores the outcome while this caller's claim holds, and answers what is stored: when another
	 * caller took the referral over meanwhile, its outcome.
	 */
	private SubmitReferralPayload finish(Referral referral, Update outcome) {
		mongo.updateFirst(claimedQuery(referral), outcome, Referral.class);
		long deadline = System.nanoTime() + WAIT_FOR_ORIGINAL.toNanos();
		while (true) {
			Referral stored = Objects.requireNonNull(mongo.findById(referral.id(), Referral.class));
			if (stored.state() != State.PROCESSING) {
				return payload(stored);
			}
			pause(deadline);
		}
	}

	private static Query claimedQuery(Referral referral) {
		return Query.query(Criteria.where("_id").is(referral.id())
			.and("claimedAt").is(referral.claimedAt())
			.and("state").is(State.PROCESSING));
	}

	static SubmitReferralPayload payload(Referral referral) {
		if (referral.state() == State.CONFLICT) {
			return new ReferralConflict(Objects.requireNonNull(referral.conflict()),
					Objects.requireNonNull(referral.conflictSince()));
		}
		Instant until = Objects.requireNonNull(referral.protectedUntil());
		// the outcome as it was decided: a retry answers it unchanged
		ReferralStatus status = ReferralStatuses.at(referral.acceptedStage(), until, null, referral.submittedAt());
		var lead = new ReferredLead(Objects.requireNonNull(referral.leadId()));
		return new ReferralAccepted(new ReferralView(referral.id(), referral.reference(), lead, status, until,
				referral.submittedAt()), lead, until);
	}

	/** When the lead reached the stage (its latest move there; its creation when it was created so). */
	private static Instant reachedAt(Lead lead, Stage stage) {
		return lead.stageHistory()
			.stream()
			.filter(move -> move.to() == stage)
			.map(StageTransition::at)
			.reduce((first, second) -> second)
			.orElse(lead.createdAt());
	}

	private static CreateLeadInput leadInput(Referral.Contact contact) {
		boolean hasCompany = contact.companyName() != null || contact.companyDomain() != null
				|| contact.employees() != null || contact.industry() != null || contact.country() != null;
		CompanyInput company = !hasCompany ? null
				: new CompanyInput(ArgumentValue.ofNullable(contact.companyName()),
						ArgumentValue.ofNullable(contact.companyDomain()), ArgumentValue.ofNullable(contact.employees()),
						ArgumentValue.ofNullable(contact.industry()), ArgumentValue.ofNullable(contact.country()));
		return new CreateLeadInput(contact.email(), contact.firstName(), contact.lastName(), contact.title(),
				contact.phone(), company, LeadSource.PARTNER, null, null);
	}

}
