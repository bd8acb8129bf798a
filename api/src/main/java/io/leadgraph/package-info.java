/**
 * Leadgraph: a headless GraphQL lead platform over MongoDB. One package per feature
 * ({@code lead}, {@code event}, …) plus small cross-cutting ones ({@code security}, {@code config},
 * {@code support}); see DESIGN.md.
 */
@NullMarked
package io.leadgraph;

import org.jspecify.annotations.NullMarked;
