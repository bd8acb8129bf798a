package io.leadgraph.lead;

import java.util.List;

/**
 * Published (synchronously, in the writer's thread) after leads were created or their fields changed,
 * for features that derive something from lead fields, such as scoring.
 *
 * @param created whether the leads are new (so nothing refers to them yet)
 */
public record LeadsChanged(List<String> leadIds, boolean created) {
}
