package io.leadgraph.partner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import com.querydsl.core.BooleanBuilder;

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
import io.leadgraph.partner.Partner.PartnerStatus;
import io.leadgraph.partner.PartnerInputs.MyReferralsFilter;
import io.leadgraph.partner.PartnerInputs.ReferralCompanyInput;
import io.leadgraph.partner.PartnerInputs.SavePartnerInput;
import io.leadgraph.partner.PartnerInputs.SubmitReferralInput;
import io.leadgraph.partner.PartnerPayloads.ReferralAccepted;
import io.leadgraph.partner.PartnerPayloads.ReferralConflict;
import io.leadgraph.partner.PartnerPayloads.ReferralError;
import io.leadgraph.partner.PartnerPayloads.ReferralRejected;
import io.leadgraph.partner.PartnerPayloads.ReferralStatus;
import io.leadgraph.partner.PartnerPayloads.ReferralView;
import io.leadgraph.partner.PartnerPayloads.ReferredLead;
import io.leadgraph.partner.PartnerPayloads.SubmitReferralPayload;
import io.leadgraph.partner.Referral.ConflictReason;
import io.leadgraph.partner.Referral.State;
import io.leadgraph.security.Caller;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.Pages;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The partner feature's public face: partners (admin) and referrals (partners). A referral is
 * recorded before anything else (so a retry answers its outcome), checked for customers and open
 * opportunities, then registers its company with a unique key (so of two partners racing for one
 * company exactly one wins), then creates or registers the lead and records the decision on the
 * lead's log.
 */
@Service
public class PartnerService {

	/** A referral left PROCESSING this long (its instance died) is taken over by a retry. */
	static final Duration TAKE_OVER_AFTER = Duration.ofSeconds(30);

	private static final Duration WAIT_FOR_ORIGINAL = Duration.ofSeconds(5);

	private static final Pattern PARTNER_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

	private final MongoTemplate mongo;

	private final Referrals referrals;

	private final LeadService leads;

	private final Clock clock;

	PartnerService(MongoTemplate mongo, Referrals referrals, LeadService leads, Clock clock) {
		this.mongo = mongo;
		this.referrals = referrals;
		this.leads = leads;
		this.clock = clock;
	}

	@PreAuthorize("hasRole('admin')")
	public List<Partner> partners() {
		return mongo.find(new Query().with(Sort.by("id")), Partner.class);
	}

	@PreAuthorize("hasRole('admin')")
	public Partner save(SavePartnerInput input) {
		var problems = new InputProblems();
		String id = input.id() == null ? "" : input.id().strip();
		if (!PARTNER_ID.matcher(id).matches()) {
			problems.add("input.id", "INVALID_ID", "a lower-case letter, then up to 63 lower-case letters, digits or -");
		}
		String name = input.name() == null ? "" : input.name().strip();
		if (name.isEmpty() || name.length() > 200) {
			problems.add("input.name", name.isEmpty() ? "REQUIRED" : "TOO_LONG", "must be 1 to 200 characters");
		}
		int protection = input.protectionDays() == null ? 90 : input.protectionDays();
		int recall = input.recallDays() == null ? 30 : input.recallDays();
		if (protection < 1 || protection > 730) {
			problems.add("input.protectionDays", "OUT_OF_RANGE", "must be between 1 and 730");
		}
		if (recall < 1 || recall > 365) {
			problems.add("input.recallDays", "OUT_OF_RANGE", "must be between 1 and 365");
		}
		problems.throwIfAny();
		Instant now = clock.instant();
		mongo.upsert(Query.query(Criteria.where("_id").is(id)),
				new Update().set("name", name)
					.set("status", input.status() == null ? PartnerStatus.ACTIVE : input.status())
					.set("protectionDays", protection)
					.set("recallDays", recall)
					.set("updatedAt", now)
					.setOnInsert("createdAt", now),
				Partner.class);
		return Objects.requireNonNull(mongo.findById(id, Partner.class));
	}

	@PreAuthorize("hasRole('partner')")
	public SubmitReferralPayload submit(SubmitReferralInput input) {
		Partner partner = callingPartner();
		var problems = new InputProblems();
		String reference = input.reference() == null ? "" : input.reference().strip();
		if (reference.isEmpty() || reference.length() > 100) {
			problems.add("input.reference", reference.isEmpty() ? "REQUIRED" : "TOO_LONG", "must be 1 to 100 characters");
		}
		problems.maxLength("input.notes", input.notes(), 2000);
		CreateLeadInput lead = null;
		try {
			lead = SystemCaller.runAs(actor(partner), () -> leads.checkLead(leadInput(input)));
		}
		catch (InvalidInputException invalid) {
			invalid.problems().forEach(problem -> problems.add(problem.field(), problem.code(), problem.message()));
		}
		if (!problems.isEmpty() || lead == null) {
			return rejected(problems);
		}
		Instant now = clock.instant();
		Referral.Contact contact = contact(lead);
		Referral claimed = new Referral(new ObjectId().toHexString(), Referral.key(partner.id(), reference), partner.id(),
				reference, contact, blankToNull(input.notes()),
				ReferralMatching.registrationKeys(contact.email(), contact.companyDomain(), contact.companyName()),
				State.PROCESSING, null, null, null, null, now, now);
		Referral decidable = claimed;
		try {
			mongo.insert(claimed);
		}
		catch (DuplicateKeyException retry) {
			decidable = retryOf(claimed.key());
			if (decidable.state() != State.PROCESSING) {
				return payload(decidable);
			}
		}
		Referral mine = decidable;
		return SystemCaller.runAs(actor(partner), () -> decide(mine, partner));
	}

	private static ReferralRejected rejected(InputProblems problems) {
		List<ReferralError> errors = new ArrayList<>();
		try {
			problems.throwIfAny();
		}
		catch (InvalidInputException invalid) {
			invalid.problems()
				.forEach(problem -> errors.add(new ReferralError(problem.field(), problem.code(), problem.message())));
		}
		return new ReferralRejected(errors);
	}

	/**
	 * The original of a retried referral: decided, or — left PROCESSING longer than
	 * {@link #TAKE_OVER_AFTER} by an instance that died — taken over (still PROCESSING, claimed by this
	 * caller, to be decided from its stored contact). Waits a few seconds for one being decided.
	 */
	private Referral retryOf(String key) {
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
					return new Referral(original.id(), original.key(), original.partnerId(), original.reference(),
							original.contact(), original.notes(), original.keys(), State.PROCESSING, null, null, null, null,
							original.submittedAt(), now);
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
	private SubmitReferralPayload decide(Referral referral, Partner partner) {
		Instant now = clock.instant();
		Referral.Contact contact = referral.contact();
		Optional<Lead> byEmail = leads.leadIdsByEmail(List.of(contact.email()))
			.values()
			.stream()
			.findFirst()
			.flatMap(id -> leads.leadsById(List.of(id)).stream().findFirst());
		for (Stage blocking : List.of(Stage.CUSTOMER, Stage.OPPORTUNITY)) {
			Optional<Lead> found = byEmail.filter(lead -> lead.stage() == blocking);
			for (String domain : ReferralMatching.domains(referral.keys())) {
				found = found.or(() -> leads.leadOfDomainIn(domain, List.of(blocking)));
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
		String leadId = byEmail.map(Lead::id).orElseGet(() -> create(contact));
		mongo.updateMulti(Query.query(Criteria.where("_id").in(claimed).and("referralId").is(referral.id())),
				new Update().set("leadId", leadId), Registration.class);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("referralId", referral.id());
		payload.put("partnerId", partner.id());
		payload.put("reference", referral.reference());
		payload.put("protectedUntil", until.toString());
		leads.recordEvents(Map.of(leadId, List.of(new LeadEventDraft(referral.id() + ":accepted",
				PartnerEvents.ACCEPTED, actor(partner), payload))));
		return finish(referral, new Update().set("state", State.ACCEPTED).set("leadId", leadId).set("protectedUntil", until));
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
		mongo.updateFirst(Query.query(Criteria.where("_id").is(referral.id())
			.and("claimedAt").is(referral.claimedAt())
			.and("state").is(State.PROCESSING)), outcome, Referral.class);
		long deadline = System.nanoTime() + WAIT_FOR_ORIGINAL.toNanos();
		while (true) {
			Referral stored = Objects.requireNonNull(mongo.findById(referral.id(), Referral.class));
			if (stored.state() != State.PROCESSING) {
				return payload(stored);
			}
			pause(deadline);
		}
	}

	private static SubmitReferralPayload payload(Referral referral) {
		if (referral.state() == State.CONFLICT) {
			return new ReferralConflict(Objects.requireNonNull(referral.conflict()),
					Objects.requireNonNull(referral.conflictSince()));
		}
		Instant until = Objects.requireNonNull(referral.protectedUntil());
		// the outcome as it was decided: a retry answers it unchanged
		return new ReferralAccepted(new ReferralView(referral.id(), referral.reference(), ReferralStatus.SUBMITTED,
				until, referral.submittedAt()), new ReferredLead(Objects.requireNonNull(referral.leadId())), until);
	}

	/**
	 * The calling partner's accepted referrals, newest first, each with the coarse status its lead's
	 * stage gives it (one read of the page's leads).
	 */
	@PreAuthorize("hasRole('partner')")
	public Window<ReferralView> myReferrals(@Nullable MyReferralsFilter filter, ScrollSubrange page) {
		Partner partner = callingPartner();
		var referral = QReferral.referral;
		var where = new BooleanBuilder(referral.partnerId.eq(partner.id())).and(referral.state.eq(State.ACCEPTED));
		if (filter != null && filter.submittedAfter() != null) {
			where.and(referral.submittedAt.goe(filter.submittedAfter()));
		}
		if (filter != null && filter.references() != null && !filter.references().isEmpty()) {
			where.and(referral.reference.in(filter.references()));
		}
		Sort sort = Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.desc("id"));
		Pages.requireCursorFits(page, sort);
		int limit = page.count().orElse(20);
		Window<Referral> found = referrals.findBy(where,
				query -> query.sortBy(sort).limit(limit).scroll(page.position().orElseThrow()));
		Map<String, Stage> stages = new java.util.HashMap<>();
		leads.leadsById(found.getContent().stream().map(Referral::leadId).filter(Objects::nonNull).toList())
			.forEach(lead -> stages.put(lead.id(), lead.stage()));
		Instant now = clock.instant();
		return found.map(one -> new ReferralView(one.id(), one.reference(),
				status(stages.get(one.leadId()), one.protectedUntil(), now), one.protectedUntil(), one.submittedAt()));
	}

	/** A referral's coarse status: from its lead's stage, EXPIRED once protection ended undecided. */
	static ReferralStatus status(@Nullable Stage stage, @Nullable Instant protectedUntil, Instant now) {
		if (stage == Stage.CUSTOMER) {
			return ReferralStatus.WON;
		}
		if (stage == Stage.DISQUALIFIED) {
			return ReferralStatus.LOST;
		}
		if (protectedUntil != null && !now.isBefore(protectedUntil)) {
			return ReferralStatus.EXPIRED;
		}
		if (stage == Stage.SQL || stage == Stage.OPPORTUNITY) {
			return ReferralStatus.ACCEPTED_BY_SALES;
		}
		return stage == Stage.MQL || stage == Stage.RECYCLED ? ReferralStatus.IN_REVIEW : ReferralStatus.SUBMITTED;
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

	/** The calling partner: known and active, else refused. */
	private Partner callingPartner() {
		String id = Caller.partnerId();
		Partner partner = id == null ? null : mongo.findById(id, Partner.class);
		if (partner == null || partner.status() != PartnerStatus.ACTIVE) {
			throw new AccessDeniedException("The token names no active partner");
		}
		return partner;
	}

	private static String actor(Partner partner) {
		return "partner:" + partner.id();
	}

	private static CreateLeadInput leadInput(SubmitReferralInput input) {
		ReferralCompanyInput company = input.company();
		CompanyInput firm = company == null ? null
				: new CompanyInput(ArgumentValue.ofNullable(company.name()), ArgumentValue.ofNullable(company.domain()),
						ArgumentValue.ofNullable(company.employees()), ArgumentValue.ofNullable(company.industry()),
						ArgumentValue.ofNullable(company.country() == null ? null
								: company.country().toUpperCase(Locale.ROOT)));
		return new CreateLeadInput(input.email() == null ? "" : input.email(), input.firstName(), input.lastName(),
				input.title(), input.phone(), firm, LeadSource.PARTNER, null, null);
	}

	private static <T> @Nullable T valueOf(@Nullable CompanyInput company, java.util.function.Function<CompanyInput, ArgumentValue<T>> field) {
		if (company == null) {
			return null;
		}
		ArgumentValue<T> value = field.apply(company);
		return value.isPresent() ? value.value() : null;
	}

	private static Referral.Contact contact(CreateLeadInput lead) {
		CompanyInput company = lead.company();
		return new Referral.Contact(lead.email(), lead.firstName(), lead.lastName(), lead.title(), lead.phone(),
				valueOf(company, CompanyInput::name), valueOf(company, CompanyInput::domain),
				valueOf(company, CompanyInput::employees), valueOf(company, CompanyInput::industry),
				valueOf(company, CompanyInput::country));
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

	private static @Nullable String blankToNull(@Nullable String text) {
		return text == null || text.isBlank() ? null : text.strip();
	}
}
