package io.leadgraph.event;

import java.util.List;

/**
 * Published (synchronously, in the appending thread, outside the log's lock) after events reached the
 * log on this instance, in log order: for features that react to events as soon as they exist and
 * catch up from the log for what they missed. Listeners must return quickly.
 */
public record EventsAppended(List<LeadEvent> events) {
}
