package io.leadgraph.touchpoint;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadgraph.lead.FreeMail;
import io.leadgraph.lead.LeadEventDraft;
import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadService;
import io.leadgraph.lead.LeadService.Capture;
import io.leadgraph.lead.LeadSource;
import io.leadgraph.security.Caller;
import io.leadgraph.support.InLists;
import io.leadgraph.support.InvalidInputException;
import io.leadgraph.support.UnorderedInserts;
import io.leadgraph.touchpoint.TouchpointInputs.ContactInput;
import io.leadgraph.touchpoint.TouchpointInputs.RecordTouchpointsInput;
import io.leadgraph.touchpoint.TouchpointResult.RecordTouchpointsPayload;
import io.leadgraph.touchpoint.TouchpointRules.Candidate;
import io.leadgraph.touchpoint.TouchpointRules.Rejection;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The touchpoint feature's public face: idempotent batch ingestion with lead capture. A batch costs a
 * constant number of store round trips; the TOUCHPOINT_RECORDED events follow within milliseconds
 * from {@link TouchpointEventRecorder}, which numbers them into the leads' logs in large batches.
 */
@Service
public class TouchpointService {

	private static final Logger log = LoggerFactory.getLogger(TouchpointService.class);

	static final String RECORDED_EVENT = "TOUCHPOINT_RECORDED";


	private final Touchpoints touchpoints;

	private final MongoTemplate mongo;

	private final LeadService leads;

	private final TouchpointEventRecorder eventRecorder;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	TouchpointService(Touchpoints touchpoints, MongoTemplate mongo, LeadService leads,
			TouchpointEventRecorder eventRecorder, ApplicationEventPublisher publisher, Clock clock) {
		this.touchpoints = touchpoints;
		this.mongo = mongo;
		this.leads = leads;
		this.eventRecorder = eventRecorder;
		this.publisher = publisher;
		this.clock = clock;
	}

	/** Every touchpoint of these leads, for features that derive data from a lead's whole history. */
	@PreAuthorize("isAuthenticated()")
	public List<Touchpoint> touchpointsOfLeads(Collection<String> leadIds) {
		return InLists.query(leadIds, ids -> mongo.find(Query.query(Criteria.where("leadId").in(ids)), Touchpoint.class));
	}

	/**
	 * Every touchpoint of the leads after the given lead id, ordered by lead id, as one streaming read
	 * (close the stream): the touchpoint side of passes over all leads, such as re-scoring.
	 */
	@PreAuthorize("isAuthenticated()")
	public Stream<Touchpoint> streamByLead(@Nullable String afterLeadId) {
		Query query = new Query().with(Sort.by("leadId").and(Sort.by(Sort.Direction.DESC, "occurredAt", "_id")))
			.cursorBatchSize(2000);
		if (afterLeadId != null) {
			query.addCriteria(Criteria.where("leadId").gt(afterLeadId));
		}
		return mongo.stream(query, org.bson.Document.class, "touchpoints").map(TouchpointDocuments::read);
	}

	@PreAuthorize("hasAnyRole('admin', 'marketing', 'sales', 'automation')")
	public RecordTouchpointsPayload record(RecordTouchpointsInput input) {
		int size = input.touchpoints().size();
		if (size == 0 || size > TouchpointRules.MAX_BATCH) {
			throw new InvalidInputException("input.touchpoints", "TOO_MANY_TOUCHPOINTS",
					"a batch holds 1 to " + TouchpointRules.MAX_BATCH + " touchpoints");
		}
		Caller caller = Caller.current();
		Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		TouchpointResult[] results = new TouchpointResult[size];
		List<Candidate> candidates = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			try {
				candidates.add(TouchpointRules.check(i, input.touchpoints().get(i), caller, now));
			}
			catch (Rejection rejection) {
				results[i] = TouchpointResult.rejected(i, rejection.field, rejection.code, rejection.getMessage());
			}
		}
		// replays are answered before anything else happens: no lead is resolved or captured for them
		Map<String, Touchpoint> originals = new HashMap<>();
		touchpoints.findByKeyIn(candidates.stream().map(Candidate::key).distinct().toList())
			.forEach(original -> originals.put(original.key(), original));
		List<Candidate> unseen = new ArrayList<>();
		for (Candidate candidate : candidates) {
			Touchpoint original = originals.get(candidate.key());
			if (original == null) {
				unseen.add(candidate);
			}
			else {
				results[candidate.index()] = TouchpointResult.duplicate(candidate.index(), original);
			}
		}
		candidates = unseen;
		Map<Integer, String> leadOf = new HashMap<>();
		Set<Integer> captured = new HashSet<>();
		resolveLeads(candidates, results, leadOf, captured);
		List<Touchpoint> fresh = new ArrayList<>();
		Map<Integer, Touchpoint> byIndex = new HashMap<>();
		for (Candidate candidate : candidates) {
			String leadId = leadOf.get(candidate.index());
			if (results[candidate.index()] == null && leadId != null) {
				Touchpoint touchpoint = new Touchpoint(new ObjectId().toHexString(), candidate.key(),
						candidate.source(), candidate.externalId(), leadId, candidate.type(), candidate.channel(),
						candidate.direction(), candidate.occurredAt(), now, caller.actor(), candidate.campaign(),
						candidate.properties());
				byIndex.put(candidate.index(), touchpoint);
				fresh.add(touchpoint);
			}
		}
		RecordedBatch recorded = insertNew(fresh, byIndex, results, captured, originals, now);
		// listeners (scoring) first: the recorder would otherwise be numbering events into the very
		// leads they are writing, and every write of one would make the other's retry
		if (!recorded.touchpoints().isEmpty()) {
			publisher.publishEvent(new TouchpointsRecorded(recorded.touchpoints()));
		}
		eventRecorder.submit(recorded);
		return new RecordTouchpointsPayload(List.of(results));
	}

	/**
	 * Records the TOUCHPOINT_RECORDED events of these touchpoints (those the log has already are
	 * skipped), then drops the backlog entries that listed them. Returns false when that failed and
	 * the entries wait for the sweep.
	 */
	boolean recordEvents(List<Touchpoint> recorded, Collection<String> backlogIds) {
		Map<String, List<LeadEventDraft>> byLead = new LinkedHashMap<>();
		recorded.forEach(touchpoint -> byLead.computeIfAbsent(touchpoint.leadId(), id -> new ArrayList<>())
			.add(event(touchpoint)));
		try {
			if (!byLead.isEmpty()) {
				leads.recordEvents(byLead);
			}
			mongo.remove(Query.query(Criteria.where("_id").in(backlogIds)), PendingTouchpointEvents.class);
			return true;
		}
		catch (RuntimeException ex) {
			log.warn("Events of {} touchpoints wait for the sweep: {}", recorded.size(), ex.toString());
			return false;
		}
	}

	/** Backlog entries older than the cutoff, oldest first: what a crash or a failure left behind. */
	List<PendingTouchpointEvents> backlogOlderThan(Instant cutoff, int limit) {
		return mongo.find(Query.query(Criteria.where("createdAt").lt(cutoff))
			.with(Sort.by("createdAt"))
			.limit(limit), PendingTouchpointEvents.class);
	}

	/** Touchpoints by id, for features that follow a reference; unknown ids are left out. */
	@PreAuthorize("isAuthenticated()")
	public List<Touchpoint> touchpoints(Collection<String> ids) {
		return touchpointsById(ids);
	}

	List<Touchpoint> touchpointsById(Collection<String> ids) {
		return InLists.query(ids, touchpoints::findAllById);
	}

	private static LeadEventDraft event(Touchpoint touchpoint) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("touchpointId", touchpoint.id());
		payload.put("type", touchpoint.type().name());
		payload.put("channel", touchpoint.channel().name());
		payload.put("direction", touchpoint.direction().name());
		payload.put("occurredAt", touchpoint.occurredAt().toString());
		if (touchpoint.campaign() != null) {
			payload.put("campaignId", touchpoint.campaign().id());
		}
		return new LeadEventDraft(touchpoint.eventId(), RECORDED_EVENT, touchpoint.recordedBy(), payload);
	}

	/**
	 * Finds each candidate's lead by id or email; captures leads for unknown emails of capture types
	 * (all in one bulk, the first capture item of an email carrying its contact data). Items whose
	 * lead cannot be had are rejected.
	 */
	private void resolveLeads(List<Candidate> candidates, TouchpointResult[] results, Map<Integer, String> leadOf,
			Set<Integer> captured) {
		Set<String> knownIds = leads.existingLeadIds(candidates.stream()
			.map(Candidate::leadId)
			.filter(id -> id != null && ObjectId.isValid(id))
			.distinct()
			.toList());
		Map<String, String> byEmail = leads
			.leadIdsByEmail(candidates.stream().map(Candidate::email).filter(e -> e != null).distinct().toList());
		Map<String, Candidate> capturing = new LinkedHashMap<>();
		for (Candidate candidate : candidates) {
			if (candidate.leadId() == null && !byEmail.containsKey(candidate.email())
					&& TouchpointType.CAPTURE.contains(candidate.type())) {
				capturing.putIfAbsent(candidate.email(), candidate);
			}
		}
		Map<String, Capture> captures = new HashMap<>();
		if (!capturing.isEmpty()) {
			List<Candidate> capturers = List.copyOf(capturing.values());
			List<Capture> outcomes = leads.captureLeads(capturers.stream().map(TouchpointService::newLead).toList());
			for (int i = 0; i < capturers.size(); i++) {
				captures.put(capturers.get(i).email(), outcomes.get(i));
			}
		}
		for (Candidate candidate : candidates) {
			int index = candidate.index();
			if (candidate.leadId() != null) {
				if (knownIds.contains(candidate.leadId())) {
					leadOf.put(index, candidate.leadId());
				}
				else {
					results[index] = TouchpointResult.rejected(index, candidate.field("leadId"), "UNKNOWN_LEAD",
							"no lead has this id");
				}
				continue;
			}
			String leadId = byEmail.get(candidate.email());
			Capture capture = captures.get(candidate.email());
			if (leadId == null && capture != null && capture.lead() != null) {
				leadId = capture.lead().id();
				if (capturing.get(candidate.email()) == candidate && capture.created()) {
					captured.add(index);
				}
			}
			if (leadId != null) {
				leadOf.put(index, leadId);
			}
			else if (capture != null && capture.problem() != null && capturing.get(candidate.email()) == candidate) {
				results[index] = TouchpointResult.rejected(index, candidate.field(contactField(capture.problem().field())),
						capture.problem().code(), capture.problem().message());
			}
			else {
				results[index] = TouchpointResult.rejected(index, candidate.field("email"), "UNKNOWN_LEAD",
						capture == null ? "no lead has this email, and a " + candidate.type() + " does not capture one"
								: "no lead has this email; the item that would capture it was rejected");
			}
		}
	}

	private static CreateLeadInput newLead(Candidate candidate) {
		ContactInput contact = candidate.contact() == null ? new ContactInput(null, null, null, null, null, null)
				: candidate.contact();
		String email = candidate.email();
		String domain = email.substring(email.indexOf('@') + 1);
		CompanyInput company = new CompanyInput(ArgumentValue.ofNullable(contact.company()),
				FreeMail.isFreeMail(domain) ? ArgumentValue.omitted() : ArgumentValue.ofNullable(domain),
				ArgumentValue.omitted(), ArgumentValue.omitted(), ArgumentValue.omitted());
		return new CreateLeadInput(email, contact.firstName(), contact.lastName(), contact.title(), contact.phone(),
				company, leadSource(contact.leadSource()), null, null);
	}

	/** Where a problem of the lead built from an item's contact data sits in that item. */
	private static String contactField(String leadField) {
		return switch (leadField) {
			case "input.email" -> "email";
			case "input.company.name" -> "contact.company";
			default -> leadField.replaceFirst("^input\\.", "contact.");
		};
	}

	private static LeadSource leadSource(@Nullable String name) {
		return name == null || name.isBlank() ? LeadSource.INBOUND
				: LeadSource.valueOf(name.strip().toUpperCase(Locale.ROOT));
	}


	/**
	 * Inserts what is new; answers replays (earlier batches, the same batch, racing senders) with the
	 * original. Returns the touchpoints this call recorded.
	 */
	private RecordedBatch insertNew(List<Touchpoint> fresh, Map<Integer, Touchpoint> byIndex,
			TouchpointResult[] results, Set<Integer> captured, Map<String, Touchpoint> originals, Instant now) {
		List<Touchpoint> toInsert = new ArrayList<>();
		Set<String> keysInBatch = new HashSet<>();
		for (Touchpoint touchpoint : fresh) {
			if (!originals.containsKey(touchpoint.key()) && keysInBatch.add(touchpoint.key())) {
				toInsert.add(touchpoint);
			}
		}
		if (toInsert.isEmpty()) {
			return RecordedBatch.NOTHING;
		}
		// listed before they exist: a crash after the insert cannot leave touchpoints without events
		var backlog = mongo.insert(new PendingTouchpointEvents(new ObjectId().toHexString(),
				toInsert.stream().map(Touchpoint::id).toList(), now));
		Set<String> lostRace = new HashSet<>();
		UnorderedInserts.insert(mongo, Touchpoint.class, toInsert).forEach(i -> lostRace.add(toInsert.get(i).key()));
		if (!lostRace.isEmpty()) {
			touchpoints.findByKeyIn(lostRace).forEach(original -> originals.put(original.key(), original));
		}
		List<Touchpoint> inserted = new ArrayList<>();
		for (Touchpoint touchpoint : toInsert) {
			if (!lostRace.contains(touchpoint.key())) {
				inserted.add(touchpoint);
				originals.putIfAbsent(touchpoint.key(), touchpoint);
			}
		}
		// the one item whose document went in is RECORDED; repeats of its key in the batch are duplicates
		byIndex.forEach((index, touchpoint) -> {
			Touchpoint original = originals.get(touchpoint.key());
			results[index] = original == touchpoint ? TouchpointResult.recorded(index, touchpoint, captured.contains(index))
					: TouchpointResult.duplicate(index, original);
		});
		return new RecordedBatch(backlog.id(), inserted);
	}
}
