package io.leadgraph.event;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Which events to read; empty lists mean "any".
 *
 * @param types event types
 * @param leadIds lead ids
 */
public record EventFilter(List<String> types, List<String> leadIds) {

	static final EventFilter ANY = new EventFilter(null, null);

	public EventFilter(@Nullable List<String> types, @Nullable List<String> leadIds) {
		this.types = types == null ? List.of() : List.copyOf(types);
		this.leadIds = leadIds == null ? List.of() : List.copyOf(leadIds);
	}

	boolean matches(LeadEvent event) {
		return (types.isEmpty() || types.contains(event.type())) && (leadIds.isEmpty() || leadIds.contains(event.leadId()));
	}
}
