package io.leadgraph.scoring;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.leadgraph.lead.FreeMail;
import io.leadgraph.lead.Lead;
import io.leadgraph.touchpoint.Touchpoint;

/** What a condition reads: the value at a field path of {@link ScoringFields}, null when absent. */
interface Facts {

	@Nullable Object value(String path);

	/** What fit rules read: a lead and its company. Enum values are their names. */
	record LeadFacts(String leadId, String email, @Nullable String firstName, @Nullable String lastName,
			@Nullable String title, @Nullable String phone, String source, @Nullable String companyName,
			@Nullable String companyDomain, @Nullable Integer employees, @Nullable String industry,
			@Nullable String country, Map<String, Object> attributes, @Nullable Instant engagementSince)
			implements Facts {

		static LeadFacts of(Lead lead) {
			var company = lead.company();
			return new LeadFacts(lead.id(), lead.email(), lead.firstName(), lead.lastName(), lead.title(), lead.phone(),
					lead.source().name(), company == null ? null : company.name(),
					company == null ? null : company.domain(), company == null ? null : company.employees(),
					company == null ? null : company.industry(), company == null ? null : company.country(),
					lead.attributes(), lead.engagementResetAt());
		}

		@Override
		public @Nullable Object value(String path) {
			return switch (path) {
				case "email" -> email;
				case "emailDomain" -> FreeMail.domainOf(email);
				case "freeMail" -> FreeMail.isFreeMail(FreeMail.domainOf(email));
				case "firstName" -> firstName;
				case "lastName" -> lastName;
				case "title" -> title;
				case "phone" -> phone;
				case "source" -> source;
				case "company.name" -> companyName;
				case "company.domain" -> companyDomain;
				case "company.employees" -> employees;
				case "company.industry" -> industry;
				case "company.country" -> country;
				default -> path.startsWith("attributes.") ? attributes.get(path.substring("attributes.".length()))
						: null;
			};
		}
	}

	/** What engagement rules read: one touchpoint. Enum values are their names. */
	record TouchFacts(String touchpointId, String type, String channel, String direction, String source,
			@Nullable String campaignId, @Nullable String campaignName, Map<String, Object> properties,
			Instant occurredAt) implements Facts {

		static TouchFacts of(Touchpoint touchpoint) {
			var campaign = touchpoint.campaign();
			return new TouchFacts(touchpoint.id(), touchpoint.type().name(), touchpoint.channel().name(),
					touchpoint.direction().name(), touchpoint.source(), campaign == null ? null : campaign.id(),
					campaign == null ? null : campaign.name(), touchpoint.properties(), touchpoint.occurredAt());
		}

		@Override
		public @Nullable Object value(String path) {
			return switch (path) {
				case "type" -> type;
				case "channel" -> channel;
				case "direction" -> direction;
				case "source" -> source;
				case "campaign.id" -> campaignId;
				case "campaign.name" -> campaignName;
				default -> path.startsWith("properties.") ? properties.get(path.substring("properties.".length()))
						: null;
			};
		}
	}
}
