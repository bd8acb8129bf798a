package io.leadgraph.touchpoint;

/** Where an interaction happened. */
public enum Channel {
	WEB, EMAIL, PAID_ADS, SOCIAL, EVENT, PHONE, CHAT, REFERRAL, DIRECT, OTHER
}
