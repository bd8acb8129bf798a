package io.leadgraph.partner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.leadgraph.event.EventFilter;
import io.leadgraph.event.LeadEvent;
import io.leadgraph.event.PartialEventViews.PartialView;
import io.leadgraph.lead.Stage;
import io.leadgraph.partner.PartnerPayloads.ReferralStatus;

import org.springframework.data.annotation.Id;

/**
 * One partner subscription's view of the log: REFERRAL_STATUS_CHANGED events for its referrals
 * (their acceptance, each stage move of their lead that changes the coarse status, recall and
 * expiry), carrying only the referral, its status and protection. The actor, the lead's event count
 * ({@code seq}), stages, reasons, owners, scores and other partners never appear. It knows the
 * partner's referrals from the store when the first event reaches it (after the subscription's
 * start in the log, so none accepted before is missed) and from the REFERRAL_ACCEPTED events it sees.
 */
final class ReferralStatusView implements PartialView {

	/** The actor partners see on every event. */
	static final String ACTOR = "leadgraph";

	/** A referral that registered a lead, as the view needs it. */
	record Registered(@Id String id, String reference, String leadId, Instant protectedUntil,
			@Nullable Instant recalledAt, Instant submittedAt) {
	}

	private final String partnerId;

	private final EventFilter reads;

	private final Supplier<List<Registered>> stored;

	private final Map<String, Registered> byReferral = new HashMap<>();

	/** Each lead's referrals by this partner, oldest first: a lead registered again after an expiry has two. */
	private final Map<String, List<Registered>> byLead = new HashMap<>();

	private boolean loaded;

	ReferralStatusView(String partnerId, EventFilter reads, Supplier<List<Registered>> stored) {
		this.partnerId = partnerId;
		this.reads = reads;
		this.stored = stored;
	}

	@Override
	public EventFilter reads() {
		return reads;
	}

	@Override
	public @Nullable LeadEvent shown(LeadEvent event) {
		if (!loaded) {
			stored.get().forEach(this::follow);
			loaded = true;
		}
		Map<String, Object> payload = event.payload();
		boolean mine = partnerId.equals(payload.get("partnerId"));
		return switch (event.type()) {
			case PartnerEvents.ACCEPTED -> mine ? accepted(event) : null;
			case PartnerEvents.RECALLED -> mine ? recalled(event) : null;
			case PartnerEvents.EXPIRED -> mine ? expired(event) : null;
			case "STAGE_CHANGED" -> moved(event);
			default -> null;
		};
	}

	private @Nullable LeadEvent accepted(LeadEvent event) {
		Map<String, Object> payload = event.payload();
		Registered referral = byReferral.get((String) payload.get("referralId"));
		if (referral == null) {
			referral = new Registered((String) payload.get("referralId"), (String) payload.get("reference"),
					event.leadId(), Instant.parse((String) payload.get("protectedUntil")), null, event.occurredAt());
			follow(referral);
		}
		// the lead's stage as the event was appended, after any move the decision did not see
		Object stage = event.lead() != null && event.lead().stage() != null ? event.lead().stage() : payload.get("stage");
		return statusChanged(event, referral,
				ReferralStatuses.at(stage(stage), referral.protectedUntil(), null, event.occurredAt()));
	}

	private @Nullable LeadEvent recalled(LeadEvent event) {
		Registered referral = byReferral.get((String) event.payload().get("referralId"));
		if (referral == null) {
			return null;
		}
		if (referral.recalledAt() == null) {
			follow(new Registered(referral.id(), referral.reference(), referral.leadId(), referral.protectedUntil(),
					event.occurredAt(), referral.submittedAt()));
		}
		return statusChanged(event, referral, ReferralStatus.RECALLED);
	}

	private @Nullable LeadEvent expired(LeadEvent event) {
		Registered referral = byReferral.get((String) event.payload().get("referralId"));
		return referral == null ? null : statusChanged(event, referral, ReferralStatus.EXPIRED);
	}

	/**
	 * A stage move of a followed lead that changes the status of the referral covering it then: the
	 * latest one submitted before the move, while protected (after that its status stays EXPIRED).
	 */
	private @Nullable LeadEvent moved(LeadEvent event) {
		Instant at = event.occurredAt();
		Registered referral = null;
		for (Registered one : byLead.getOrDefault(event.leadId(), List.of())) {
			if (!one.submittedAt().isAfter(at)) {
				referral = one;
			}
		}
		if (referral == null || !at.isBefore(referral.protectedUntil())) {
			return null;
		}
		ReferralStatus before = ReferralStatuses.at(stage(event.payload().get("from")), referral.protectedUntil(),
				referral.recalledAt(), at);
		ReferralStatus after = ReferralStatuses.at(stage(event.payload().get("to")), referral.protectedUntil(),
				referral.recalledAt(), at);
		return before == after ? null : statusChanged(event, referral, after);
	}

	private void follow(Registered referral) {
		byReferral.put(referral.id(), referral);
		List<Registered> ofLead = byLead.computeIfAbsent(referral.leadId(), lead -> new ArrayList<>());
		ofLead.removeIf(one -> one.id().equals(referral.id()));
		ofLead.add(referral);
		ofLead.sort(Comparator.comparing(Registered::submittedAt));
	}

	private static @Nullable Stage stage(@Nullable Object name) {
		return name instanceof String text ? Stage.valueOf(text) : null;
	}

	private static LeadEvent statusChanged(LeadEvent event, Registered referral, ReferralStatus status) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("referralId", referral.id());
		payload.put("reference", referral.reference());
		payload.put("status", status.name());
		payload.put("protectedUntil", referral.protectedUntil().toString());
		return new LeadEvent(event.position(), referral.id() + ":" + event.position(), event.leadId(), 0,
				PartnerEvents.STATUS_CHANGED, event.occurredAt(), ACTOR, payload, event.recordedAt(), null);
	}
}
