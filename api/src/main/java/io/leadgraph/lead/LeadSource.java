package io.leadgraph.lead;

/** Where a lead came from. */
public enum LeadSource {
	INBOUND, OUTBOUND, REFERRAL, PARTNER, EVENT, IMPORT
}
