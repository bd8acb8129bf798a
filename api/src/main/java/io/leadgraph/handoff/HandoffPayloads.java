package io.leadgraph.handoff;

import io.leadgraph.lead.Lead;

/** The handoff's mutation payloads; unions resolve by class name. */
final class HandoffPayloads {

	private HandoffPayloads() {
	}

	record SaveSalesRepPayload(SalesRep rep) {
	}

	record SaveRoutingRulePayload(RoutingRule rule) {
	}

	record DeleteRoutingRulePayload(boolean deleted) {
	}

	sealed interface AcceptHandoffPayload permits HandoffAccepted, HandoffConflict {
	}

	sealed interface RejectHandoffPayload permits HandoffRejected, HandoffConflict {
	}

	record HandoffAccepted(Handoff handoff, Lead lead) implements AcceptHandoffPayload {
	}

	record HandoffRejected(Handoff handoff, Lead lead) implements RejectHandoffPayload {
	}

	record HandoffConflict(ConflictReason reason, String message, Handoff handoff)
			implements AcceptHandoffPayload, RejectHandoffPayload {
	}

	enum ConflictReason {
		ALREADY_ACCEPTED, ALREADY_REJECTED, REASSIGNED, NOT_ASSIGNED, LEAD_NOT_MQL
	}
}
