package io.leadgraph.partner;

import java.util.List;
import java.util.Optional;

import io.leadgraph.event.EventFilter;
import io.leadgraph.event.PartialEventViews;
import io.leadgraph.security.Caller;
import io.leadgraph.security.Role;
import io.leadgraph.support.InputProblems;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * A partner's view of the lead event log: its referrals' status changes ({@link ReferralStatusView}),
 * nothing else. Partners may narrow it by lead ids; criteria that would let them probe other leads
 * (stages, owners, sources) are refused.
 */
@Component
class PartnerEventViews implements PartialEventViews {

	private static final List<String> READ = List.of("STAGE_CHANGED", PartnerEvents.ACCEPTED, PartnerEvents.RECALLED,
			PartnerEvents.EXPIRED);

	private final PartnerService partners;

	private final MongoTemplate mongo;

	PartnerEventViews(PartnerService partners, MongoTemplate mongo) {
		this.partners = partners;
		this.mongo = mongo;
	}

	@Override
	public Optional<PartialView> viewFor(Caller caller, EventFilter requested) {
		if (!caller.has(Role.PARTNER)) {
			return Optional.empty();
		}
		String partnerId = partners.callingPartner().id();
		var problems = new InputProblems();
		notForPartners(problems, "filter.fromStages", requested.fromStages());
		notForPartners(problems, "filter.toStages", requested.toStages());
		notForPartners(problems, "filter.ownerIds", requested.ownerIds());
		notForPartners(problems, "filter.sources", requested.sources());
		problems.throwIfAny();
		boolean shown = requested.types().isEmpty() || requested.types().contains(PartnerEvents.STATUS_CHANGED);
		// a view asked for other types only shows nothing: it reads a type the log never holds
		EventFilter reads = new EventFilter(shown ? READ : List.of(PartnerEvents.STATUS_CHANGED), requested.leadIds());
		return Optional.of(new ReferralStatusView(partnerId, reads, () -> referralsOf(partnerId)));
	}

	private static void notForPartners(InputProblems problems, String field, List<String> values) {
		if (!values.isEmpty()) {
			problems.add(field, "NOT_ALLOWED", "partners may filter their events by leadIds and types only");
		}
	}

	/** The partner's referrals that registered a lead (or are about to: decided, not yet stored), oldest first. */
	private List<ReferralStatusView.Registered> referralsOf(String partnerId) {
		Query query = Query.query(
				Criteria.where("partnerId").is(partnerId).and("leadId").ne(null).and("state").ne(Referral.State.CONFLICT))
			.with(Sort.by("submittedAt"));
		query.fields().include("reference", "leadId", "protectedUntil", "recalledAt", "submittedAt");
		return mongo.find(query, ReferralStatusView.Registered.class, mongo.getCollectionName(Referral.class));
	}
}
