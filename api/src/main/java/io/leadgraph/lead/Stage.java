package io.leadgraph.lead;

/** Lifecycle stage of a lead; which moves are allowed, and whose they are, is {@link Lifecycle}. */
public enum Stage {
	NEW, MQL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED
}
