/**
 * The marketing → sales handoff: sales reps and routing rules (admin-managed), routing each MQL to a
 * rep at once (round robin, weighted or least loaded, skipping reps who are out of office, inactive,
 * at capacity or outside their territory; a fallback queue when nobody fits), the speed-to-lead SLA
 * counted in the rep's business hours, and sales' accept / reject with a typed reason that feeds
 * back to marketing. Reacts to MQL moves in the event log; changes leads through
 * {@code LeadService.handOver}.
 */
@NullMarked
package io.leadgraph.handoff;

import org.jspecify.annotations.NullMarked;
