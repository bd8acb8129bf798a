package io.leadgraph.partner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.lead.Lead;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.Stage;
import io.leadgraph.security.SystemCaller;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The two clocks of an accepted referral. At its recall time, a referral whose lead sales has not
 * accepted (never SQL or later since the referral) is RECALLED to the partner program; at the end of
 * its protection it EXPIRES, unless won or lost, and its registrations are given up. Each is an event
 * on the lead's log. Every instance looks at due referrals; a firing is claimed by moving
 * {@code timerAt} a lease ahead (compare-and-set), every later write checks that lease, and events
 * have fixed ids, so a firing that dies half-way is redone by the next without a second event.
 */
@Component
class ReferralTimers {

	private static final Logger log = LoggerFactory.getLogger(ReferralTimers.class);

	private static final String ACTOR = "system:referrals";

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final int BATCH = 100;

	private static final Set<Stage> ACCEPTED_BY_SALES = EnumSet.of(Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER);

	private final MongoTemplate mongo;

	private final LeadService leads;

	private final Clock clock;

	ReferralTimers(MongoTemplate mongo, LeadService leads, Clock clock) {
		this.mongo = mongo;
		this.leads = leads;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${leadgraph.partner.timer-interval:1m}",
			initialDelayString = "${leadgraph.partner.timer-interval:1m}")
	void fireDue() {
		try {
			SystemCaller.runAs(ACTOR, this::fireAll);
		}
		catch (RuntimeException ex) {
			log.warn("Referral timers failed, retrying: {}", ex.toString());
		}
	}

	private void fireAll() {
		List<Referral> due = mongo.find(Query.query(Criteria.where("timerAt").lte(clock.instant()))
			.with(Sort.by("timerAt"))
			.limit(BATCH), Referral.class);
		for (Referral referral : due) {
			Instant now = clock.instant();
			Instant lease = now.plus(LEASE);
			boolean claimed = mongo.updateFirst(
					Query.query(Criteria.where("_id").is(referral.id()).and("timerAt").is(referral.timerAt())),
					new Update().set("timerAt", lease), Referral.class).getModifiedCount() == 1;
			if (claimed) {
				try {
					fire(referral, now, lease);
				}
				catch (RuntimeException ex) {
					log.warn("Timer of referral {} failed; it fires again after its lease: {}", referral.id(),
							ex.toString());
				}
			}
		}
	}

	/**
	 * Recall or expiry. The decision is stored (under the lease) before its event is recorded, and a
	 * firing that finds a decision stored but not settled — its predecessor died — records the event
	 * again (same id: once).
	 */
	private void fire(Referral referral, Instant now, Instant lease) {
		Instant until = Objects.requireNonNull(referral.protectedUntil());
		@Nullable Lead lead = leads.leadsById(List.of(Objects.requireNonNull(referral.leadId())))
			.stream()
			.findFirst()
			.orElse(null);
		if (now.isBefore(until)) {
			recall(referral, lead, now, lease);
		}
		else {
			expire(referral, lead, now, lease);
		}
	}

	private void recall(Referral referral, @Nullable Lead lead, Instant now, Instant lease) {
		if (referral.recalledAt() == null) {
			if (lead == null || lead.stage() == Stage.DISQUALIFIED || acceptedBySales(lead, referral)) {
				settle(referral, lease, new Update().set("timerAt", referral.protectedUntil()));
				return;
			}
			if (!settle(referral, lease, new Update().set("recalledAt", now))) {
				return;
			}
		}
		record(referral, PartnerEvents.RECALLED, "recallAt", Objects.requireNonNull(referral.recallAt()));
		settle(referral, lease, new Update().set("timerAt", referral.protectedUntil()));
	}

	private void expire(Referral referral, @Nullable Lead lead, Instant now, Instant lease) {
		Instant until = Objects.requireNonNull(referral.protectedUntil());
		boolean expires = referral.expiredAt() != null;
		if (!expires && lead != null) {
			Stage counted = ReferralStatuses.counted(lead, until, now);
			expires = counted != Stage.CUSTOMER && counted != Stage.DISQUALIFIED;
			if (expires && !settle(referral, lease, new Update().set("expiredAt", now))) {
				return;
			}
		}
		if (expires && lead != null) {
			record(referral, PartnerEvents.EXPIRED, "protectedUntil", until);
		}
		mongo.remove(Query.query(Criteria.where("_id").in(referral.keys()).and("referralId").is(referral.id())),
				Registration.class);
		settle(referral, lease, new Update().unset("timerAt"));
	}

	/**
	 * Whether sales accepted the lead in the recall window: it was SQL or later when the window
	 * closed, or moved there since the referral.
	 */
	private static boolean acceptedBySales(Lead lead, Referral referral) {
		Instant recallAt = Objects.requireNonNull(referral.recallAt());
		return ACCEPTED_BY_SALES.contains(ReferralStatuses.counted(lead, recallAt, recallAt))
				|| lead.stageHistory()
					.stream()
					.anyMatch(move -> ACCEPTED_BY_SALES.contains(move.to()) && !move.at().isBefore(referral.submittedAt())
							&& move.at().isBefore(recallAt));
	}

	private void record(Referral referral, String type, String when, Instant at) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("referralId", referral.id());
		payload.put("partnerId", referral.partnerId());
		payload.put("reference", referral.reference());
		payload.put(when, at.toString());
		String eventId = referral.id() + ":" + type.substring("REFERRAL_".length()).toLowerCase(Locale.ROOT);
		leads.recordEvents(Map.of(Objects.requireNonNull(referral.leadId()),
				List.of(new LeadEventDraft(eventId, type, ACTOR, payload))));
	}

	/** Writes while the firing's lease holds; false when another firing took over. */
	private boolean settle(Referral referral, Instant lease, Update update) {
		return mongo.updateFirst(Query.query(Criteria.where("_id").is(referral.id()).and("timerAt").is(lease)), update,
				Referral.class).getModifiedCount() == 1;
	}
}
