/**
 * Touchpoints: every interaction of a lead, ingested in idempotent batches by automation, with lead
 * capture for forms and demo requests, and the lead's journey read back (touchpoints, engagement).
 * Uses {@code lead} (capture, event numbering) and {@code event}; no feature uses it.
 */
@NullMarked
package io.leadgraph.touchpoint;

import org.jspecify.annotations.NullMarked;
