package io.leadgraph.lead;

import java.util.Map;

/**
 * An event another feature caused on a lead (e.g. a recorded touchpoint), to be numbered in the
 * lead's log. The id is the caller's: a draft whose id the lead already holds is not recorded twice.
 *
 * @param eventId unique id of the event, stable across retries
 * @param type the event type, e.g. {@code TOUCHPOINT_RECORDED}
 * @param actor who caused it (the caller of the request that caused it, also when recorded later)
 * @param payload details; plain JSON-able values
 */
public record LeadEventDraft(String eventId, String type, String actor, Map<String, Object> payload) {
}
