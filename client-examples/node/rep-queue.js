// A sales rep's queue, as a rep portal would show it: my PENDING handoffs soonest due first, with the
// SLA of each; then the rep accepts the first one (the lead becomes SQL) or, with --reject, sends it
// back with a reason; a second decision is a typed conflict. Ends with last week's handoff stats.
//
//   node rep-queue.js [--demo] [--reject]
//
// --demo first qualifies a big-company lead as marketing and waits until routing hands it to this
// rep (the demo data's "enterprise" rule splits such leads 2:1 between demo-sales and another rep).
// Environment: see leadgraph.js; LEADGRAPH_SALES (demo-sales:demo-sales-secret, a rep in the demo
// data), LEADGRAPH_MARKETING (demo-marketing:demo-marketing-secret).
import { clientFor } from './leadgraph.js';

const salesClient = process.env.LEADGRAPH_SALES ?? 'demo-sales:demo-sales-secret';
const marketingClient = process.env.LEADGRAPH_MARKETING ?? 'demo-marketing:demo-marketing-secret';
const demo = process.argv.includes('--demo');
const rejecting = process.argv.includes('--reject');

const MY_QUEUE = `query($after: String) {
  handoffs(filter: { scope: MINE, statuses: [PENDING] }, first: 20, after: $after) {
    edges { node { id sla dueAt responseWindow lead { id email company { name } score { total } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const HANDOFFS_OF_LEAD = `query($lead: ID!) { handoffs(filter: { leadId: $lead }) { edges { node { id repId status } } } }`;

const DECISION = `
  __typename
  ... on HandoffConflict { reason message }`;

const ACCEPT = `mutation($id: ID!) { acceptHandoff(input: { handoffId: $id }) {
  ${DECISION}
  ... on HandoffAccepted { handoff { status sla firstTouchAt } lead { stage owner { id } } }
} }`;

const REJECT = `mutation($id: ID!) { rejectHandoff(input: { handoffId: $id, reason: NOT_READY, note: "Budget next quarter" }) {
  ${DECISION}
  ... on HandoffRejected { handoff { status rejectionReason engagementReset } lead { stage score { total engagement } } }
} }`;

const STATS = `query($from: DateTime!) { handoffStats(window: { from: $from }, groupBy: REP) {
  total { assigned accepted rejected acceptanceRate slaCompliance }
  groups { key assigned accepted rejected acceptanceRate medianSecondsToFirstTouch slaCompliance }
} }`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percent = (share) => (share == null ? 'n/a' : `${(share * 100).toFixed(0)} %`);

/** Qualifies big-company leads until routing gives one to this rep; its handoff id. */
async function handOneToMe(marketing, sales, repId) {
  for (let attempt = 0; attempt < 12; attempt++) {
    const email = `queue-demo-${Date.now()}-${attempt}@bigcorp.example`;
    const { createLead } = await marketing.request(
      `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }`,
      { input: { email, title: 'VP Operations', company: { name: 'BigCorp', employees: 5000, country: 'DE' } } });
    const leadId = createLead.lead.id;
    await marketing.request(`mutation($id: ID!) { moveLeadStage(input: { leadId: $id, to: MQL }) { __typename } }`, { id: leadId });
    for (let wait = 0; wait < 100; wait++) { // routing happens right after the move; allow 10 s
      const { handoffs } = await sales.request(HANDOFFS_OF_LEAD, { lead: leadId });
      const handoff = handoffs.edges[0]?.node;
      if (handoff) {
        console.log(`lead ${email} was routed to ${handoff.repId ?? 'the fallback queue'}`);
        if (handoff.repId === repId) return handoff.id;
        break;
      }
      await sleep(100);
    }
  }
  throw new Error(`no lead was routed to ${repId}: is the demo data loaded?`);
}

async function main() {
  const sales = await clientFor(salesClient);
  const repId = salesClient.split(':')[0];
  if (demo) await handOneToMe(await clientFor(marketingClient), sales, repId);

  const queue = [];
  for (let after = null; ;) {
    const { handoffs } = await sales.request(MY_QUEUE, { after });
    queue.push(...handoffs.edges.map((edge) => edge.node));
    if (!handoffs.pageInfo.hasNextPage) break;
    after = handoffs.pageInfo.endCursor;
  }
  console.log(`\n${repId}'s queue: ${queue.length} pending, soonest due first`);
  for (const handoff of queue.slice(0, 10)) {
    const lead = handoff.lead;
    console.log(`  due ${handoff.dueAt} (${handoff.sla}, window ${handoff.responseWindow})  ${lead.email}`
      + `  ${lead.company?.name ?? ''}  score ${lead.score?.total ?? '-'}`);
  }
  if (queue.length === 0) {
    console.log('nothing to decide');
    return;
  }

  const first = queue[0];
  const decide = (mutation) => sales.request(mutation, { id: first.id });
  const outcome = rejecting ? (await decide(REJECT)).rejectHandoff : (await decide(ACCEPT)).acceptHandoff;
  console.log(`\n${rejecting ? 'rejected' : 'accepted'} ${first.lead.email}: ${JSON.stringify(outcome)}`);
  if (outcome.__typename === 'HandoffConflict') throw new Error(`unexpected conflict: ${outcome.message}`);

  // deciding again changes nothing: a typed conflict, not a second stage move
  const again = (await decide(ACCEPT)).acceptHandoff;
  console.log(`deciding again: ${again.__typename} ${again.reason}`);
  if (again.__typename !== 'HandoffConflict') throw new Error('a second decision was not refused');

  const from = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  const { handoffStats } = await sales.request(STATS, { from });
  const total = handoffStats.total;
  console.log(`\nlast 7 days: ${total.assigned} handoffs, ${total.accepted} accepted, ${total.rejected} rejected, `
    + `acceptance ${percent(total.acceptanceRate)}, SLA met ${percent(total.slaCompliance)}`);
  for (const row of handoffStats.groups) {
    console.log(`  ${(row.key ?? 'fallback queue').padEnd(12)} ${String(row.assigned).padStart(4)} assigned  `
      + `acceptance ${percent(row.acceptanceRate)}  first touch median ${row.medianSecondsToFirstTouch ?? 'n/a'} s`);
  }
}

main().catch((error) => {
  console.error(error.response?.errors ?? error);
  process.exit(1);
});
