/**
 * Wiring that is not a feature: the embedded store for bare machines, GraphQL scalars, the clock.
 */
@NullMarked
package io.leadgraph.config;

import org.jspecify.annotations.NullMarked;
