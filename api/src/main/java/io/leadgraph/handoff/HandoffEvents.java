package io.leadgraph.handoff;

/** The event types the handoff records on a lead's log (described in the SDL's LeadEventType). */
final class HandoffEvents {

	static final String ASSIGNED = "HANDOFF_ASSIGNED";

	static final String QUEUED = "HANDOFF_QUEUED";

	static final String ACCEPTED = "HANDOFF_ACCEPTED";

	static final String REJECTED = "HANDOFF_REJECTED";

	static final String AT_RISK = "SLA_AT_RISK";

	static final String BREACHED = "SLA_BREACHED";

	static final String REASSIGNED = "HANDOFF_REASSIGNED";

	private HandoffEvents() {
	}
}
