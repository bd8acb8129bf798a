package io.leadgraph.partner;

import java.util.List;

import io.leadgraph.partner.PartnerInputs.SavePartnerInput;
import io.leadgraph.partner.PartnerInputs.SubmitReferralInput;
import io.leadgraph.partner.PartnerPayloads.SavePartnerPayload;
import io.leadgraph.partner.PartnerPayloads.SubmitReferralPayload;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class PartnerController {

	private final PartnerService partners;

	PartnerController(PartnerService partners) {
		this.partners = partners;
	}

	@QueryMapping
	List<Partner> partners() {
		return partners.partners();
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
