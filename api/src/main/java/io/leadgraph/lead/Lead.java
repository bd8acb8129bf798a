package io.leadgraph.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

import io.leadgraph.event.PendingEvent;
import io.leadgraph.event.PendingEvent.LeadFacts;
import io.leadgraph.lead.LeadInputs.CompanyInput;
import io.leadgraph.lead.LeadInputs.CreateLeadInput;
import io.leadgraph.lead.LeadInputs.UpdateLeadInput;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.graphql.data.ArgumentValue;

/**
 * The lead aggregate. Every change goes through a method here that also records the change as an
 * event in {@link #outbox()}, so the change and its events are one document write, guarded by
 * {@link #version()}. The outbox is emptied by {@link LeadOutboxRelay} once the events are in the log.
 * <p>
 * Indexes serve each list filter with the default sort (newest first, by id to break ties) without
 * an in-memory sort; stage and owner — the filters of reps' and marketers' queues — also by last
 * change. Other filter and sort combinations use the filter's index and sort the matches.
 */
@Document("leads")
@CompoundIndex(name = "stage_created", def = "{'stage': 1, 'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "stage_updated", def = "{'stage': 1, 'updatedAt': -1, '_id': -1}")
@CompoundIndex(name = "source_created", def = "{'source': 1, 'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "owner_created", def = "{'owner.id': 1, 'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "owner_updated", def = "{'owner.id': 1, 'updatedAt': -1, '_id': -1}")
@CompoundIndex(name = "domain_created", def = "{'company.domain': 1, 'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "country_created", def = "{'company.country': 1, 'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "created", def = "{'createdAt': -1, '_id': -1}")
@CompoundIndex(name = "updated", def = "{'updatedAt': -1, '_id': -1}")
@CompoundIndex(name = "pending_events", def = "{'outbox.seq': 1}", partialFilter = "{'outbox.seq': {$exists: true}}")
public class Lead {

	static final String CREATED = "LEAD_CREATED";

	static final String UPDATED = "LEAD_UPDATED";

	static final String STAGE_CHANGED = "STAGE_CHANGED";

	static final String SCORE_CHANGED = "SCORE_CHANGED";

	/** The actor of moves and changes the scoring policy makes. */
	static final String SCORING = "system:scoring";

	@Id
	private final String id;

	@Version
	private @Nullable Long version;

	@Indexed(name = "email_unique", unique = true)
	private String email;

	private @Nullable String firstName;

	private @Nullable String lastName;

	private @Nullable String title;

	private @Nullable String phone;

	private Company company;

	private LeadSource source;

	private Stage stage;

	private @Nullable Owner owner;

	private Map<String, Object> attributes;

	private @Nullable LeadScore score;

	private @Nullable Instant engagementResetAt;

	private final List<StageTransition> stageHistory;

	@Indexed(name = "search_terms")
	private List<String> searchTerms;

	/** The company's name in comparable form ({@link CompanyNames}), for finding a company's leads by name. */
	@Indexed(name = "company_key", sparse = true)
	private @Nullable String companyKey;

	private final Instant createdAt;

	private Instant updatedAt;

	private long eventSeq;

	private final List<PendingEvent> outbox;

	@PersistenceCreator
	Lead(String id, @Nullable Long version, String email, @Nullable String firstName, @Nullable String lastName,
			@Nullable String title, @Nullable String phone, @Nullable Company company, LeadSource source, Stage stage,
			@Nullable Owner owner, @Nullable Map<String, Object> attributes, @Nullable LeadScore score,
			@Nullable Instant engagementResetAt, @Nullable List<StageTransition> stageHistory,
			@Nullable List<String> searchTerms, @Nullable String companyKey, Instant createdAt, Instant updatedAt,
			long eventSeq, @Nullable List<PendingEvent> outbox) {
		this.id = id;
		this.version = version;
		this.email = email;
		this.firstName = firstName;
		this.lastName = lastName;
		this.title = title;
		this.phone = phone;
		this.company = company == null ? Company.EMPTY : company;
		this.source = source;
		this.stage = stage;
		this.owner = owner;
		this.attributes = attributes == null ? new LinkedHashMap<>() : new LinkedHashMap<>(attributes);
		this.score = score;
		this.engagementResetAt = engagementResetAt;
		this.stageHistory = stageHistory == null ? new ArrayList<>() : new ArrayList<>(stageHistory);
		this.searchTerms = searchTerms == null ? List.of() : searchTerms;
		this.companyKey = companyKey;
		this.createdAt = createdAt;
		this.updatedAt = updatedAt;
		this.eventSeq = eventSeq;
		this.outbox = outbox == null ? new ArrayList<>() : new ArrayList<>(outbox);
	}

	/**
	 * A new lead in stage NEW from validated, normalised input, at version 0 already: a bulk insert
	 * (lead capture) does not initialise the version as a single insert does.
	 */
	static Lead create(CreateLeadInput input, String actor, Instant now) {
		CompanyInput company = input.company();
		var lead = new Lead(new ObjectId().toHexString(), 0L, input.email(), input.firstName(), input.lastName(),
				input.title(), input.phone(), company == null ? null : merge(Company.EMPTY, company, new ArrayList<>()),
				Objects.requireNonNull(input.source()), Stage.NEW, input.owner(),
				input.attributes() == null ? null : withoutNulls(input.attributes()), null, null, null, null, null, now,
				now, 0, null);
		lead.stageHistory.add(new StageTransition(null, Stage.NEW, now, actor, null));
		lead.searchTerms = SearchTerms.of(lead);
		lead.companyKey = CompanyNames.normalise(lead.company.name());
		lead.record(CREATED, actor, now, lead.snapshot());
		return lead;
	}

	/**
	 * Applies the given fields (omitted = unchanged, null = cleared) and records one LEAD_UPDATED
	 * event naming each changed field with its value before and after. Returns the changes.
	 */
	List<FieldChange> update(UpdateLeadInput input, String actor, Instant now) {
		List<FieldChange> changes = new ArrayList<>();
		email = Objects.requireNonNull(set(changes, "email", email, input.email()));
		firstName = set(changes, "firstName", firstName, input.firstName());
		lastName = set(changes, "lastName", lastName, input.lastName());
		title = set(changes, "title", title, input.title());
		phone = set(changes, "phone", phone, input.phone());
		source = Objects.requireNonNull(set(changes, "source", source, input.source()));
		owner = set(changes, "owner", owner, input.owner());
		if (input.company().isPresent()) {
			company = merge(company, input.company().value(), changes);
		}
		else if (!input.company().isOmitted()) {
			company = merge(company, new CompanyInput(cleared(), cleared(), cleared(), cleared(), cleared()), changes);
		}
		if (input.attributes().isPresent()) {
			mergeAttributes(input.attributes().value(), changes);
		}
		else if (!input.attributes().isOmitted()) {
			attributes.forEach((key, value) -> changes.add(new FieldChange("attributes." + key, value, null)));
			attributes.clear();
		}
		if (!changes.isEmpty()) {
			searchTerms = SearchTerms.of(this);
			companyKey = CompanyNames.normalise(company.name());
			updatedAt = now;
			record(UPDATED, actor, now, Map.of("changes", changes.stream().map(FieldChange::toPayload).toList()));
		}
		return changes;
	}

	/** Moves to {@code to}; the caller has checked with {@link Lifecycle} that the move exists and is theirs. */
	StageTransition moveTo(Stage to, @Nullable String reason, String actor, Instant now) {
		return moveTo(to, reason, actor, now, null);
	}

	/** A move whose event also names what caused it ({@code trigger} in the STAGE_CHANGED payload). */
	private StageTransition moveTo(Stage to, @Nullable String reason, String actor, Instant now,
			@Nullable Map<String, Object> trigger) {
		if (!Lifecycle.exists(stage, to)) {
			throw new IllegalStateException("No move " + stage + " -> " + to);
		}
		var transition = new StageTransition(stage, to, now, actor, reason);
		stageHistory.add(transition);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("from", stage.name());
		payload.put("to", to.name());
		if (reason != null) {
			payload.put("reason", reason);
		}
		if (trigger != null) {
			payload.put("trigger", trigger);
		}
		stage = to;
		updatedAt = now;
		record(STAGE_CHANGED, actor, now, payload);
		return transition;
	}

	/**
	 * Takes a new score. With {@code change} (the SCORE_CHANGED payload) the change is an event; with
	 * {@code qualifies}, a NEW or RECYCLED lead becomes MQL. Returns the transition, if any.
	 */
	@Nullable StageTransition applyScore(LeadScore next, @Nullable Map<String, Object> change, boolean qualifies,
			String reason, @Nullable Map<String, Object> trigger, Instant now) {
		score = next;
		if (change != null) {
			record(SCORE_CHANGED, SCORING, now, change);
		}
		if (qualifies && (stage == Stage.NEW || stage == Stage.RECYCLED)) {
			return moveTo(Stage.MQL, reason, SCORING, now, trigger);
		}
		return null;
	}

	/**
	 * A handoff's change: a new owner and/or a stage move, and perhaps an engagement reset, explained by
	 * {@code draft}, which is recorded first (with the new owner) and followed by the move's
	 * STAGE_CHANGED. Returns the move, if any.
	 */
	@Nullable StageTransition handOver(@Nullable Owner newOwner, @Nullable Stage to, @Nullable String reason,
			boolean resetEngagement, LeadEventDraft draft, Instant now) {
		if (newOwner != null) {
			owner = newOwner;
			updatedAt = now;
		}
		if (resetEngagement) {
			engagementResetAt = now;
		}
		record(draft, now);
		return to == null ? null : moveTo(to, reason, draft.actor(), now);
	}

	boolean holds(String eventId) {
		return outbox.stream().anyMatch(pending -> pending.eventId().equals(eventId));
	}

	/**
	 * Records an event another feature caused and returns it, or null when the outbox already holds
	 * the draft's id (a retry); the caller leaves out drafts the log already has.
	 */
	@Nullable PendingEvent record(LeadEventDraft draft, Instant now) {
		if (holds(draft.eventId())) {
			return null;
		}
		eventSeq++;
		var event = new PendingEvent(draft.eventId(), id, eventSeq, draft.type(), now, draft.actor(), draft.payload(),
				facts());
		outbox.add(event);
		return event;
	}

	long eventSeq() {
		return eventSeq;
	}

	private void record(String type, String actor, Instant now, Map<String, Object> payload) {
		eventSeq++;
		outbox.add(PendingEvent.of(id, eventSeq, type, now, actor, payload, facts()));
	}

	private LeadFacts facts() {
		return new LeadFacts(source.name(), owner == null ? null : owner.id(), stage.name());
	}

	private Map<String, Object> snapshot() {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("email", email);
		putIfPresent(snapshot, "firstName", firstName);
		putIfPresent(snapshot, "lastName", lastName);
		putIfPresent(snapshot, "title", title);
		putIfPresent(snapshot, "phone", phone);
		if (!company.isEmpty()) {
			Map<String, Object> firm = new LinkedHashMap<>();
			putIfPresent(firm, "name", company.name());
			putIfPresent(firm, "domain", company.domain());
			putIfPresent(firm, "employees", company.employees());
			putIfPresent(firm, "industry", company.industry());
			putIfPresent(firm, "country", company.country());
			snapshot.put("company", firm);
		}
		snapshot.put("source", source.name());
		snapshot.put("stage", stage.name());
		if (owner != null) {
			snapshot.put("owner", FieldChange.payloadValue(owner));
		}
		if (!attributes.isEmpty()) {
			snapshot.put("attributes", Map.copyOf(attributes));
		}
		return snapshot;
	}

	private static Company merge(Company current, CompanyInput input, List<FieldChange> changes) {
		return new Company(set(changes, "company.name", current.name(), input.name()),
				set(changes, "company.domain", current.domain(), input.domain()),
				set(changes, "company.employees", current.employees(), input.employees()),
				set(changes, "company.industry", current.industry(), input.industry()),
				set(changes, "company.country", current.country(), input.country()));
	}

	private void mergeAttributes(Map<String, @Nullable Object> merge, List<FieldChange> changes) {
		merge.forEach((key, value) -> {
			Object before = attributes.get(key);
			if (!Objects.equals(before, value)) {
				changes.add(new FieldChange("attributes." + key, before, value));
				if (value == null) {
					attributes.remove(key);
				}
				else {
					attributes.put(key, value);
				}
			}
		});
	}

	private static <T> @Nullable T set(List<FieldChange> changes, String field, @Nullable T current,
			ArgumentValue<T> value) {
		if (value.isOmitted()) {
			return current;
		}
		T next = value.value();
		if (!Objects.equals(current, next)) {
			changes.add(new FieldChange(field, current, next));
		}
		return next;
	}

	private static <T> ArgumentValue<T> cleared() {
		return ArgumentValue.ofNullable(null);
	}

	private static Map<String, Object> withoutNulls(Map<String, @Nullable Object> values) {
		Map<String, Object> result = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			if (value != null) {
				result.put(key, value);
			}
		});
		return result;
	}

	private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

	public String id() {
		return id;
	}

	/** Null only before the first write. */
	public @Nullable Long version() {
		return version;
	}

	public String email() {
		return email;
	}

	public @Nullable String firstName() {
		return firstName;
	}

	public @Nullable String lastName() {
		return lastName;
	}

	public @Nullable String title() {
		return title;
	}

	public @Nullable String phone() {
		return phone;
	}

	/** Null when no company field is known. */
	public @Nullable Company company() {
		return company.isEmpty() ? null : company;
	}

	public LeadSource source() {
		return source;
	}

	public Stage stage() {
		return stage;
	}

	public @Nullable Owner owner() {
		return owner;
	}

	public Map<String, Object> attributes() {
		return Map.copyOf(attributes);
	}

	/** Null until a scoring policy scored the lead. */
	public @Nullable LeadScore score() {
		return score;
	}

	/**
	 * When sales last sent the lead back with its engagement reset: touchpoints before it no longer
	 * count for its engagement score. Null when never.
	 */
	public @Nullable Instant engagementResetAt() {
		return engagementResetAt;
	}

	public List<StageTransition> stageHistory() {
		return List.copyOf(stageHistory);
	}

	public Instant createdAt() {
		return createdAt;
	}

	public Instant updatedAt() {
		return updatedAt;
	}

	List<PendingEvent> outbox() {
		return List.copyOf(outbox);
	}

	List<String> searchTerms() {
		return searchTerms;
	}

	int attributeCount() {
		return attributes.size();
	}

	/** Lower-case words a text filter matches by prefix: names, email parts, company name and domain. */
	static final class SearchTerms {

		private SearchTerms() {
		}

		static List<String> of(Lead lead) {
			Set<String> terms = new LinkedHashSet<>();
			words(terms, lead.firstName);
			words(terms, lead.lastName);
			terms.add(lead.email);
			int at = lead.email.indexOf('@');
			if (at > 0) {
				words(terms, lead.email.substring(0, at).replaceAll("[._+-]", " "));
				terms.add(lead.email.substring(at + 1));
			}
			words(terms, lead.company.name());
			if (lead.company.domain() != null) {
				terms.add(lead.company.domain());
			}
			return List.copyOf(terms);
		}

		private static void words(Set<String> terms, @Nullable String text) {
			if (text == null) {
				return;
			}
			for (String word : text.toLowerCase(Locale.ROOT).split("[\\s,;:()\"/&]+")) {
				if (!word.isEmpty()) {
					terms.add(word);
				}
			}
		}
	}
}
