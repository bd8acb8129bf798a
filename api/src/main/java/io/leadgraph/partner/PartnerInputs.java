package io.leadgraph.partner;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.leadgraph.partner.Partner.PartnerStatus;

/** The partner feature's GraphQL inputs. */
public final class PartnerInputs {

	private PartnerInputs() {
	}

	public record SavePartnerInput(@Nullable String id, @Nullable String name, @Nullable PartnerStatus status,
			@Nullable Integer protectionDays, @Nullable Integer recallDays) {
	}

	public record SubmitReferralInput(@Nullable String reference, @Nullable String email, @Nullable String firstName,
			@Nullable String lastName, @Nullable String title, @Nullable String phone,
			@Nullable ReferralCompanyInput company, @Nullable String notes) {
	}

	public record MyReferralsFilter(@Nullable Instant submittedAfter, @Nullable List<String> references,
			@Nullable List<String> leadIds) {
	}

	public record ReferralCompanyInput(@Nullable String name, @Nullable String domain, @Nullable Integer employees,
			@Nullable String industry, @Nullable String country) {
	}
}
