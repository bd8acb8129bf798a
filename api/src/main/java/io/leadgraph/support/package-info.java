/**
 * Cross-cutting helpers every feature may use: typed input errors, not-found errors and their
 * mapping to GraphQL errors. Depends on no feature.
 */
@NullMarked
package io.leadgraph.support;

import org.jspecify.annotations.NullMarked;
