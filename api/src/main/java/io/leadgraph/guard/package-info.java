/**
 * Guards in front of execution, for every feature: limits on what one GraphQL document may ask for
 * (size, tokens, depth, aliases, directives, cost, page sizes), each refused with a stable code
 * before anything is fetched, and who may introspect the schema.
 */
@NullMarked
package io.leadgraph.guard;

import org.jspecify.annotations.NullMarked;
