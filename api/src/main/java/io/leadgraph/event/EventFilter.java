package io.leadgraph.event;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which events to read; every criterion given must match, empty lists mean "any".
 *
 * @param types event types
 * @param leadIds lead ids
 * @param fromStages stage moves out of one of these stages (STAGE_CHANGED events only)
 * @param toStages stage moves into one of these stages (STAGE_CHANGED events only)
 * @param ownerIds events of leads owned by one of these ids when the event was recorded
 * @param sources events of leads with one of these sources
 */
public record EventFilter(List<String> types, List<String> leadIds, List<String> fromStages, List<String> toStages,
		List<String> ownerIds, List<String> sources) {

	static final String STAGE_CHANGED = "STAGE_CHANGED";

	static final EventFilter ANY = new EventFilter(null, null);

	public EventFilter(@Nullable List<String> types, @Nullable List<String> leadIds, @Nullable List<String> fromStages,
			@Nullable List<String> toStages, @Nullable List<String> ownerIds, @Nullable List<String> sources) {
		this.types = copy(types);
		this.leadIds = copy(leadIds);
		this.fromStages = copy(fromStages);
		this.toStages = copy(toStages);
		this.ownerIds = copy(ownerIds);
		this.sources = copy(sources);
	}

	public EventFilter(@Nullable List<String> types, @Nullable List<String> leadIds) {
		this(types, leadIds, null, null, null, null);
	}

	boolean byStage() {
		return !fromStages.isEmpty() || !toStages.isEmpty();
	}

	boolean matches(LeadEvent event) {
		return (types.isEmpty() || types.contains(event.type())) && (leadIds.isEmpty() || leadIds.contains(event.leadId()))
				&& (!byStage() || movedAsAsked(event))
				&& (ownerIds.isEmpty() || ownerIds.contains(event.facts().ownerId()))
				&& (sources.isEmpty() || sources.contains(event.facts().source()));
	}

	private boolean movedAsAsked(LeadEvent event) {
		Map<String, Object> payload = event.payload();
		return STAGE_CHANGED.equals(event.type()) && (fromStages.isEmpty() || fromStages.contains(payload.get("from")))
				&& (toStages.isEmpty() || toStages.contains(payload.get("to")));
	}

	private static List<String> copy(@Nullable List<String> values) {
		return values == null ? List.of() : List.copyOf(values);
	}
}
