/**
 * Webhooks, for scripts that cannot hold a socket: endpoints managed by admin and automation, and
 * signed, retried deliveries of the lead event log to them (at least once, with backoff, a
 * dead-letter state and redelivery). Uses {@code event}; no feature uses it.
 */
@NullMarked
package io.leadgraph.webhook;

import org.jspecify.annotations.NullMarked;
