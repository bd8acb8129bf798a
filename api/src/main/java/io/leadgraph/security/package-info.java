/**
 * Who the caller is and what they may do: the stateless JWT resource server, the role names, the
 * embedded dev token issuer (dev profile only) and the guard that keeps it out of production.
 */
@NullMarked
package io.leadgraph.security;

import org.jspecify.annotations.NullMarked;
