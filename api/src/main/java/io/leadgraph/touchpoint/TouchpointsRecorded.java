package io.leadgraph.touchpoint;

import java.util.List;

/**
 * Published (synchronously, in the request's thread) after touchpoints were recorded, for features
 * that react within the request, such as scoring. Replays are not in it.
 */
public record TouchpointsRecorded(List<Touchpoint> touchpoints) {
}
