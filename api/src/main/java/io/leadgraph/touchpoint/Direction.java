package io.leadgraph.touchpoint;

/** Who started an interaction. */
public enum Direction {
	INBOUND, OUTBOUND
}
