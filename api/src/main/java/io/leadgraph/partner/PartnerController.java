package io.leadgraph.partner;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.partner.PartnerInputs.MyReferralsFilter;
import io.leadgraph.partner.PartnerInputs.SavePartnerInput;
import io.leadgraph.partner.PartnerInputs.SubmitReferralInput;
import io.leadgraph.partner.PartnerPayloads.SavePartnerPayload;
import io.leadgraph.partner.PartnerPayloads.ReferralView;
import io.leadgraph.partner.PartnerPayloads.SubmitReferralPayload;
import io.leadgraph.support.Pages;

import org.springframework.data.domain.Window;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class PartnerController {

	private final PartnerService partners;

	private final Pages pages;

	PartnerController(PartnerService partners, Pages pages) {
		this.partners = partners;
		this.pages = pages;
	}

	@QueryMapping
	List<Partner> partners() {
		return partners.partners();
	}

	@QueryMapping
	Window<ReferralView> myReferrals(@Argument @Nullable MyReferralsFilter filter, @Argument @Nullable Integer first,
			@Argument @Nullable String after) {
		return partners.myReferrals(filter, pages.subrange(first, after, null, null, 20, 100));
	}

	@MutationMapping
	SavePartnerPayload savePartner(@Argument SavePartnerInput input) {
		return new SavePartnerPayload(partners.save(input));
	}

	@MutationMapping
	SubmitReferralPayload submitReferral(@Argument SubmitReferralInput input) {
		return partners.submit(input);
	}
}
