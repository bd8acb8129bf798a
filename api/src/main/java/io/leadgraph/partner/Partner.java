package io.leadgraph.partner;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A partner company that refers leads.
 *
 * @param id the {@code partner_id} claim of its tokens
 */
@Document("partners")
public record Partner(@Id String id, String name, PartnerStatus status, int protectionDays, int recallDays,
		Instant createdAt, Instant updatedAt) {

	public enum PartnerStatus {
		ACTIVE, SUSPENDED
	}
}
