package io.leadgraph.lead;

import java.time.Duration;
import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.event.EventLog;
import io.leadgraph.event.PendingEvent;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves events from lead outboxes to the event log: right after each write, and by a periodic sweep
 * that finishes whatever a crash, an error or another instance left behind. Appending is idempotent
 * by event id, and an entry leaves the outbox only after the log has it, so nothing is lost or
 * doubled whichever step fails.
 */
@Component
class LeadOutboxRelay {

	private static final Logger log = LoggerFactory.getLogger(LeadOutboxRelay.class);

	private static final int SWEEP_BATCH = 200;

	/** A sweep drains the backlog in batches, but leaves the scheduler thread after this long. */
	private static final Duration SWEEP_BUDGET = Duration.ofSeconds(2);

	private final EventLog eventLog;

	private final MongoTemplate mongo;

	LeadOutboxRelay(EventLog eventLog, MongoTemplate mongo) {
		this.eventLog = eventLog;
		this.mongo = mongo;
	}

	/** Relays the lead's outbox now; on failure the events wait for the next sweep. */
	boolean relay(Lead lead) {
		try {
			return relay(lead.id(), lead.outbox());
		}
		catch (RuntimeException ex) {
			log.warn("Events of lead {} stay in its outbox until the next sweep: {}", lead.id(), ex.toString());
			return false;
		}
	}

	/** Relays the outboxes of many leads with one append and one bulk of pulls. */
	void relay(List<Lead> leads) {
		try {
			List<PendingEvent> events = leads.stream().flatMap(lead -> lead.outbox().stream()).toList();
			if (events.isEmpty() || !eventLog.append(events)) {
				return;
			}
			BulkOperations pulls = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, "leads");
			for (Lead lead : leads) {
				pulls.updateOne(Query.query(Criteria.where("_id").is(new ObjectId(lead.id()))), pull(lead.outbox()));
			}
			pulls.execute();
		}
		catch (RuntimeException ex) {
			log.warn("Events of {} leads stay in their outboxes until the next sweep: {}", leads.size(), ex.toString());
		}
	}

	@Scheduled(fixedDelayString = "${leadgraph.events.relay-sweep-interval:5s}",
			initialDelayString = "${leadgraph.events.relay-sweep-interval:5s}")
	void sweep() {
		try {
			if (!eventLog.isWriter()) {
				return;
			}
			long deadline = System.nanoTime() + SWEEP_BUDGET.toNanos();
			List<Lead> batch;
			do {
				Query pending = Query.query(Criteria.where("outbox.seq").exists(true)).limit(SWEEP_BATCH);
				batch = mongo.find(pending, Lead.class);
				int relayed = 0;
				for (Lead lead : batch) {
					relayed += relay(lead) ? 1 : 0;
				}
				if (relayed == 0) {
					return;
				}
			}
			while (batch.size() == SWEEP_BATCH && System.nanoTime() < deadline);
		}
		catch (RuntimeException ex) {
			log.warn("Outbox sweep failed, retrying at the next one: {}", ex.toString());
		}
	}

	private boolean relay(String leadId, List<PendingEvent> outbox) {
		if (outbox.isEmpty() || !eventLog.append(outbox)) {
			return false;
		}
		// no version increment: emptying the outbox is not a change of the lead
		mongo.updateFirst(Query.query(Criteria.where("_id").is(leadId)), pull(outbox), "leads");
		return true;
	}

	private static Update pull(List<PendingEvent> relayed) {
		return new Update().pull("outbox", new Document("eventId",
				new Document("$in", relayed.stream().map(PendingEvent::eventId).toList())));
	}
}
