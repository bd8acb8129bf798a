/**
 * Scoring: versioned, declarative scoring policies, the scores and ledgers they produce, re-scoring
 * jobs and simulations. Uses {@code lead} and {@code touchpoint}; reacts to their application events.
 */
@NullMarked
package io.leadgraph.scoring;

import org.jspecify.annotations.NullMarked;
