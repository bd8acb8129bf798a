// A partner's CRM handing an opportunity to Leadgraph as a referral: a token by the client
// credentials grant (its `partner_id` claim says which partner calls), `submitReferral` retried
// safely, and `myReferrals` to see where the referral stands.
//
//   node partner-referral.js [--demo]
//
// Retrying safely. submitReferral is idempotent on the partner and the `reference`: the server
// records the referral under that key before it decides anything, and a later call with the same
// reference answers the outcome stored for the first one — the same referral id, lead id and
// protectedUntil — instead of registering the company twice or conflicting with itself. So when an
// answer is lost or says "try again", send the SAME input with the SAME reference again. Take the
// reference from the CRM record (here: the opportunity), never make a new one per attempt: a new
// reference is a new referral, refused as ALREADY_SUBMITTED; and a reference sent again with other
// data is refused as ReferralRejected (input.reference REFERENCE_REUSED).
// Retried: network errors and timeouts (the request may or may not have been applied — exactly the
// case idempotency is for), HTTP 429 and 5xx (Retry-After honoured), and GraphQL errors classified
// INTERNAL_ERROR or CONFLICT (the server's "changed concurrently; retry the request", e.g. while the
// first attempt is still being decided). Not retried: the typed outcomes ReferralConflict and
// ReferralRejected (answers, not failures: a retry gets the same), FORBIDDEN, BAD_REQUEST and other
// HTTP 4xx. The waits double from 1 s and add up to more than 31 s, longer than the 30 s after which
// the server lets a retry take over a referral whose first attempt died while being decided.
//
// --demo (what CI runs) also shows a conflict — the second demo partner refers the same company
// and gets ReferralConflict ALREADY_REGISTERED (who registered it is not revealed) — and invalid
// input answered as ReferralRejected with every problem.
// Environment: see leadgraph.js; LEADGRAPH_PARTNER_CLIENT (demo-partner:demo-partner-secret, whose
// tokens carry partner_id partner-acme), LEADGRAPH_PARTNER_2_CLIENT (demo-partner-2:demo-partner-2-secret).
import { GraphQLClient } from 'graphql-request';
import { isDeepStrictEqual } from 'node:util';
import { baseUrl, token } from './leadgraph.js';

const partnerClient = process.env.LEADGRAPH_PARTNER_CLIENT ?? 'demo-partner:demo-partner-secret';
const otherPartnerClient = process.env.LEADGRAPH_PARTNER_2_CLIENT ?? 'demo-partner-2:demo-partner-2-secret';
const demo = process.argv.includes('--demo');

const SUBMIT = `mutation($input: SubmitReferralInput!) {
  submitReferral(input: $input) {
    __typename
    ... on ReferralAccepted { referral { id reference status protectedUntil submittedAt } lead { id } protectedUntil }
    ... on ReferralConflict { reason since }
    ... on ReferralRejected { errors { field code message } }
  }
}`;

const MY_REFERRALS = `query($references: [String!]) {
  myReferrals(filter: { references: $references }, first: 10) {
    edges { node { id reference status protectedUntil submittedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ATTEMPTS = 6;
const TIMEOUT_MS = 20_000; // the server may wait up to 5 s for a first attempt still being decided
const TRANSIENT = new Set(['INTERNAL_ERROR', 'CONFLICT']);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A partner's GraphQL client and the partner its token names (the `partner_id` claim). */
async function partnerSession(credentials) {
  const accessToken = await token(credentials);
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
  const client = new GraphQLClient(`${baseUrl}/graphql`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return { client, clientId: credentials.split(':')[0], partnerId: claims.partner_id };
}

/** Why a failed request is worth sending again, or null when it is not. */
function transient(error) {
  const response = error.response;
  if (!response) {
    if (error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
    if (error instanceof TypeError && error.cause) return `network: ${error.cause.code ?? error.cause.message}`; // fetch failed
    return null;
  }
  const kinds = (response.errors ?? []).map((e) => e.extensions?.classification ?? e.extensions?.code);
  if (kinds.length > 0 && kinds.every((kind) => TRANSIENT.has(kind))) return `${kinds.join(', ')}: ${response.errors[0].message}`;
  if (kinds.length === 0 && (response.status === 429 || response.status >= 500)) return `HTTP ${response.status}`;
  return null;
}

/** Seconds the server asks to wait (Retry-After as seconds), or 0. */
function retryAfter(error) {
  const seconds = Number(error.response?.headers?.get?.('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** submitReferral with retries, always with the same input (and so the same reference). */
async function submitReferral(client, input) {
  for (let attempt = 1; ; attempt++) {
    try {
      const { submitReferral: outcome } = await client.request({
        document: SUBMIT, variables: { input }, signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return outcome;
    }
    catch (error) {
      const why = transient(error);
      if (!why || attempt === ATTEMPTS) throw error;
      const wait = Math.max(1000 * 2 ** (attempt - 1) * (1 + Math.random() / 4), retryAfter(error));
      console.log(`  attempt ${attempt} failed (${why}); retrying in ${(wait / 1000).toFixed(1)} s with the same reference ${input.reference}`);
      await sleep(wait);
    }
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  // unique per run, so reruns against the same service do not collide: the reference, and the
  // company's domain and name (a referral registers the contact's email, the domain and the name)
  const stamp = `${Date.now()}`;
  const reference = `crm-opp-${stamp}`;
  const company = { name: `Northwind Traders ${stamp}`, domain: `northwind-${stamp}.example`, employees: 240, country: 'DE' };
  const input = {
    reference,
    email: `maria.lopez@${company.domain}`,
    firstName: 'Maria',
    lastName: 'Lopez',
    title: 'Head of Procurement',
    company,
    notes: 'Evaluating a rollout to 3 sites in Q3; asked for a call with sales.',
  };

  const partner = await partnerSession(partnerClient);
  console.log(`token for ${partner.clientId} by client credentials; partner_id ${partner.partnerId}`);
  expect(partner.partnerId, `the token of ${partner.clientId} has no partner_id claim`);

  const first = await submitReferral(partner.client, input);
  console.log(`\nsubmitReferral ${reference} (${company.domain}): ${first.__typename}`);
  if (first.__typename !== 'ReferralAccepted') throw new Error(`not accepted: ${JSON.stringify(first)}`);
  console.log(`  referral ${first.referral.id} ${first.referral.status}, lead ${first.lead.id}, protected until ${first.protectedUntil}`);
  expect(first.referral.reference === reference, `the referral came back with reference ${first.referral.reference}`);
  expect(first.referral.status === 'SUBMITTED', `a new referral is ${first.referral.status}, not SUBMITTED`);

  // what a retry after a lost answer does: the same input again answers the original outcome
  const again = await submitReferral(partner.client, input);
  console.log(`submitReferral ${reference} again (as a retry would): ${again.__typename}`);
  if (!isDeepStrictEqual(again, first)) {
    throw new Error(`a retry answered differently:\n  first ${JSON.stringify(first)}\n  again ${JSON.stringify(again)}`);
  }
  console.log(`  identical answer: referral ${again.referral.id}, lead ${again.lead.id}, protected until ${again.protectedUntil}`);

  if (demo) {
    // another partner refers the same company (same domain and name), another contact, its own reference
    const other = await partnerSession(otherPartnerClient);
    const otherReference = `globex-deal-${stamp}`;
    const conflict = await submitReferral(other.client, {
      reference: otherReference,
      email: `j.becker@${company.domain}`,
      firstName: 'Jonas',
      lastName: 'Becker',
      company,
    });
    console.log(`\n${other.clientId} (${other.partnerId}) refers the same company as ${otherReference}: ${conflict.__typename} ${conflict.reason ?? ''}`);
    expect(conflict.__typename === 'ReferralConflict' && conflict.reason === 'ALREADY_REGISTERED',
      `expected ReferralConflict ALREADY_REGISTERED, got ${JSON.stringify(conflict)}`);
    console.log(`  registered to another partner since ${conflict.since} (which one is not revealed)`);

    // invalid input: every problem at once, and nothing stored
    const rejected = await submitReferral(partner.client, { ...input, reference: `${reference}-invalid`, email: 'not-an-email' });
    console.log(`\nsubmitReferral with email "not-an-email": ${rejected.__typename}`);
    expect(rejected.__typename === 'ReferralRejected', `expected ReferralRejected, got ${JSON.stringify(rejected)}`);
    for (const error of rejected.errors) console.log(`  ${error.field}: ${error.code} (${error.message})`);
    expect(rejected.errors.some((error) => error.field === 'input.email'), 'no error names input.email');
  }

  const { myReferrals } = await partner.client.request(MY_REFERRALS, { references: [reference] });
  const nodes = myReferrals.edges.map((edge) => edge.node);
  console.log(`\nmyReferrals(filter: {references: [${reference}]}): ${nodes.length} referral(s), more: ${myReferrals.pageInfo.hasNextPage}`);
  for (const node of nodes) console.log(`  ${node.reference} ${node.status}, submitted ${node.submittedAt}, protected until ${node.protectedUntil}`);
  const mine = nodes.find((node) => node.reference === reference);
  expect(mine, `${reference} is not among my referrals`);
  expect(mine.id === first.referral.id, `myReferrals has ${reference} as ${mine.id}, submitReferral said ${first.referral.id}`);
  expect(mine.status === 'SUBMITTED', `${reference} is ${mine.status}, not SUBMITTED`);

  console.log('\npartner referral OK');
}

main().catch((error) => {
  console.error(`FAILED: ${error.response?.errors ? JSON.stringify(error.response.errors) : error.message}`);
  process.exit(1);
});
