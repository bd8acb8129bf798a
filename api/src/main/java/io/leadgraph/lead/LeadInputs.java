package io.leadgraph.lead;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.graphql.data.ArgumentValue;

/** The GraphQL input types of the lead feature, bound by Spring GraphQL. */
public final class LeadInputs {

	private LeadInputs() {
	}

	public record CreateLeadInput(String email, @Nullable String firstName, @Nullable String lastName,
			@Nullable String title, @Nullable String phone, @Nullable CompanyInput company,
			@Nullable LeadSource source, @Nullable Owner owner, @Nullable Map<String, @Nullable Object> attributes) {
	}

	/** Company fields; in updates an omitted field is unchanged and null clears it. */
	public record CompanyInput(ArgumentValue<String> name, ArgumentValue<String> domain, ArgumentValue<Integer> employees,
			ArgumentValue<String> industry, ArgumentValue<String> country) {
	}

	public record UpdateLeadInput(String id, @Nullable Long expectedVersion, ArgumentValue<String> email,
			ArgumentValue<String> firstName, ArgumentValue<String> lastName, ArgumentValue<String> title,
			ArgumentValue<String> phone, ArgumentValue<CompanyInput> company, ArgumentValue<LeadSource> source,
			ArgumentValue<Owner> owner, ArgumentValue<Map<String, @Nullable Object>> attributes) {
	}

	public record MoveLeadStageInput(String leadId, Stage to, @Nullable String reason, @Nullable Long expectedVersion) {
	}

	public record LeadFilter(@Nullable List<Stage> stages, @Nullable List<LeadSource> sources,
			@Nullable List<String> ownerIds, @Nullable String domain, @Nullable String country, @Nullable String text,
			@Nullable Instant createdAfter, @Nullable Instant createdBefore) {
	}

	public record LeadOrder(LeadOrderField field, SortDirection direction) {

		static final LeadOrder NEWEST_FIRST = new LeadOrder(LeadOrderField.CREATED_AT, SortDirection.DESC);
	}

	public enum LeadOrderField {
		CREATED_AT, UPDATED_AT
	}

	public enum SortDirection {
		ASC, DESC
	}
}
