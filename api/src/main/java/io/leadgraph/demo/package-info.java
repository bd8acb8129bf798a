/**
 * Demo data for trying Leadgraph ({@code leadgraph.demo.enabled}): a few hundred B2B leads spread over
 * sources and stages, written through the lead service like any client would.
 */
@NullMarked
package io.leadgraph.demo;

import org.jspecify.annotations.NullMarked;
