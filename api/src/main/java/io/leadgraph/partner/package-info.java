/**
 * Partner referrals (deal registration): partners (admin-managed) submit referral leads; each is
 * checked for conflicts (an existing customer, an open opportunity, a company another partner
 * registered) and, when clear, registers the company to the partner for a protection window. A unique
 * registration key per company makes two partners racing for the same company end with exactly one
 * registration. Uses {@code lead} through {@code LeadService}.
 */
@NullMarked
package io.leadgraph.partner;

import org.jspecify.annotations.NullMarked;
