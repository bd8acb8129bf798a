package io.leadgraph.touchpoint;

import java.util.EnumSet;
import java.util.Set;

/** Kinds of touchpoints, with what follows from each kind. */
public enum TouchpointType {

	PAGE_VIEW(Channel.WEB), FORM_SUBMIT(Channel.WEB), EMAIL_OPEN(Channel.EMAIL), EMAIL_CLICK(Channel.EMAIL),
	CONTENT_DOWNLOAD(Channel.WEB), WEBINAR(Channel.EVENT), DEMO_REQUEST(Channel.WEB), PRICING_VIEW(Channel.WEB),
	AD_CLICK(Channel.PAID_ADS), SOCIAL(Channel.SOCIAL), CALL(Channel.PHONE), MEETING(Channel.DIRECT),
	EMAIL_SENT(Channel.EMAIL), EMAIL_REPLY(Channel.EMAIL), EVENT_VISIT(Channel.EVENT), CHAT(Channel.CHAT),
	REFERRAL(Channel.REFERRAL), UNSUBSCRIBE(Channel.EMAIL);

	/** Types whose contact data may create a lead for an unknown email. */
	static final Set<TouchpointType> CAPTURE = EnumSet.of(FORM_SUBMIT, DEMO_REQUEST, CONTENT_DOWNLOAD, WEBINAR,
			EVENT_VISIT, CHAT);

	/** The outbound activities sales records itself. */
	static final Set<TouchpointType> SALES_ACTIVITY = EnumSet.of(CALL, MEETING, EMAIL_SENT, EMAIL_REPLY);

	/** Touches that signal buying intent (used for warmth). */
	static final Set<TouchpointType> HIGH_INTENT = EnumSet.of(DEMO_REQUEST, PRICING_VIEW, FORM_SUBMIT, EMAIL_REPLY,
			MEETING);

	private static final Set<TouchpointType> OUTBOUND_BY_DEFAULT = EnumSet.of(CALL, MEETING, EMAIL_SENT);

	final Channel defaultChannel;

	TouchpointType(Channel defaultChannel) {
		this.defaultChannel = defaultChannel;
	}

	Direction defaultDirection() {
		return OUTBOUND_BY_DEFAULT.contains(this) ? Direction.OUTBOUND : Direction.INBOUND;
	}
}
