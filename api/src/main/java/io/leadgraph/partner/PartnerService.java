package io.leadgraph.partner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import com.querydsl.core.BooleanBuilder;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.LeadSource;
import io.leadgraph.lead.Stage;
import io.leadgraph.partner.Partner.PartnerStatus;
import io.leadgraph.partner.PartnerInputs.MyReferralsFilter;
import io.leadgraph.partner.PartnerInputs.ReferralCompanyInput;
import io.leadgraph.partner.PartnerInputs.SavePartnerInput;
import io.leadgraph.partner.PartnerInputs.SubmitReferralInput;
import io.leadgraph.partner.PartnerPayloads.ReferralError;
import io.leadgraph.partner.PartnerPayloads.ReferralRejected;
import io.leadgraph.partner.PartnerPayloads.ReferralView;
import io.leadgraph.partner.PartnerPayloads.ReferredLead;
import io.leadgraph.partner.PartnerPayloads.SubmitReferralPayload;
import io.leadgraph.partner.Referral.State;
import io.leadgraph.security.Caller;
import io.leadgraph.security.SystemCaller;
import io.leadgraph.support.InputProblems;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.Pages;

import org.springframework.dao.DuplicateKeyException;
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
 * validated, then recorded before anything else (so a retry answers its outcome), then decided by
 * {@link ReferralDecisions}.
 */
@Service
public class PartnerService {

	private static final Pattern PARTNER_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

	private final MongoTemplate mongo;

	private final Referrals referrals;

	private final ReferralDecisions decisions;

	private final LeadService leads;

	private final Clock clock;

	PartnerService(MongoTemplate mongo, Referrals referrals, ReferralDecisions decisions, LeadService leads,
			Clock clock) {
		this.mongo = mongo;
		this.referrals = referrals;
		this.decisions = decisions;
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
		Referral claimed = Referral.submitted(new ObjectId().toHexString(), partner.id(), reference, contact,
				blankToNull(input.notes()),
				ReferralMatching.registrationKeys(contact.email(), contact.companyDomain(), contact.companyName()), now);
		Referral decidable = claimed;
		try {
			mongo.insert(claimed);
		}
		catch (DuplicateKeyException retry) {
			Referral original = mongo.findOne(Query.query(Criteria.where("key").is(claimed.key())), Referral.class);
			if (original != null && (!original.contact().equals(claimed.contact())
					|| !Objects.equals(original.notes(), claimed.notes()))) {
				problems.add("input.reference", "REFERENCE_REUSED",
						"names an earlier referral with other data; a retry must send the same referral");
				return rejected(problems);
			}
			decidable = decisions.retryOf(claimed.key());
			if (decidable.state() != State.PROCESSING) {
				return ReferralDecisions.payload(decidable);
			}
		}
		Referral mine = decidable;
		return SystemCaller.runAs(actor(partner), () -> decisions.decide(mine, partner));
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
		if (filter != null && filter.leadIds() != null && !filter.leadIds().isEmpty()) {
			where.and(referral.leadId.in(filter.leadIds()));
		}
		Sort sort = Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.desc("id"));
		Pages.requireCursorFits(page, sort);
		int limit = page.count().orElse(20);
		Window<Referral> found = referrals.findBy(where,
				query -> query.sortBy(sort).limit(limit).scroll(page.position().orElseThrow()));
		Map<String, Lead> byId = new HashMap<>();
		leads.leadsById(found.getContent().stream().map(Referral::leadId).filter(Objects::nonNull).toList())
			.forEach(lead -> byId.put(lead.id(), lead));
		Instant now = clock.instant();
		return found.map(one -> {
			Instant until = Objects.requireNonNull(one.protectedUntil());
			Lead lead = byId.get(one.leadId());
			Stage stage = lead == null ? null : ReferralStatuses.counted(lead, until, now);
			return new ReferralView(one.id(), one.reference(), new ReferredLead(Objects.requireNonNull(one.leadId())),
					ReferralStatuses.at(stage, until, one.recalledAt(), now), until, one.submittedAt());
		});
	}

	/** The calling partner: known and active, else refused. */
	Partner callingPartner() {
		String id = Caller.partnerId();
		Partner partner = id == null ? null : mongo.findById(id, Partner.class);
		if (partner == null || partner.status() != PartnerStatus.ACTIVE) {
			throw new AccessDeniedException("The token names no active partner");
		}
		return partner;
	}

	static String actor(Partner partner) {
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

	private static @Nullable String blankToNull(@Nullable String text) {
		return text == null || text.isBlank() ? null : text.strip();
	}
}
