// Leadgraph from Node 20 with graphql-request: a client-credentials token, five new leads, the
// leads connection read page by page, two stage moves by two teams, and the event log read page by
// page from a cursor. Exits non-zero on the first unexpected answer.
//
// Environment (all optional): LEADGRAPH_URL (http://localhost:8080), LEADGRAPH_TOKEN_URL
// ($LEADGRAPH_URL/oauth2/token, the dev issuer), LEADGRAPH_MARKETING_CLIENT and
// LEADGRAPH_SALES_CLIENT as id:secret (the dev demo clients).
import { ClientError, gql } from 'graphql-request';
import { baseUrl, tokenUrl, clientFor } from './leadgraph.js';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const marketingClient = process.env.LEADGRAPH_MARKETING_CLIENT ?? 'demo-marketing:demo-marketing-secret';
const salesClient = process.env.LEADGRAPH_SALES_CLIENT ?? 'demo-sales:demo-sales-secret';



function check(condition, message) {
  if (!condition) throw new Error(message);
}

const CREATE_LEAD = gql`
  mutation CreateLead($input: CreateLeadInput!) {
    createLead(input: $input) {
      __typename
      ... on LeadCreated { lead { id email stage } }
      ... on LeadAlreadyExists { existingLead { id } }
    }
  }
`;

const LEADS_PAGE = gql`
  query LeadsPage($filter: LeadFilter, $first: Int, $after: String) {
    leads(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id email lastName stage } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const MOVE_LEAD_STAGE = gql`
  mutation MoveLeadStage($input: MoveLeadStageInput!) {
    moveLeadStage(input: $input) {
      __typename
      ... on StageMoved { lead { id stage } transition { from to actor } }
      ... on StageTransitionRefused { reason message allowed }
    }
  }
`;

const EVENTS_PAGE = gql`
  query EventsPage($filter: LeadEventFilter, $first: Int, $after: String) {
    leadEvents(filter: $filter, first: $first, after: $after) {
      edges { cursor node { eventId leadId seq type actor occurredAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** Reads a whole connection page by page: `first` items at a time, continuing from pageInfo.endCursor. */
async function readAll(client, document, field, variables, first) {
  const nodes = [];
  let after = null;
  let pages = 0;
  for (;;) {
    const data = await client.request(document, { ...variables, first, after });
    const { edges, pageInfo } = data[field];
    pages += 1;
    console.log(`  page ${pages}: ${edges.length} item(s), hasNextPage=${pageInfo.hasNextPage}`);
    check(edges.length <= first, `${field}: page ${pages} holds ${edges.length} items, asked for ${first}`);
    nodes.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return { nodes, pages };
    check(pageInfo.endCursor, `${field}: hasNextPage without endCursor`);
    check(pages < 100, `${field}: more than 100 pages, paging does not advance`);
    after = pageInfo.endCursor;
  }
}

async function move(client, leadId, to, reason) {
  const { moveLeadStage: result } = await client.request(MOVE_LEAD_STAGE, { input: { leadId, to, reason } });
  check(result.__typename === 'StageMoved', `move to ${to} refused: ${JSON.stringify(result)}`);
  check(result.lead.stage === to, `after the move the lead is ${result.lead.stage}, not ${to}`);
  console.log(`  ${result.transition.from} → ${result.transition.to} by ${result.transition.actor}`);
}

async function main() {
  console.log(`Leadgraph at ${baseUrl}, tokens from ${tokenUrl}`);
  const marketing = await clientFor(marketingClient);
  const sales = await clientFor(salesClient);

  // 1. Five leads sharing a unique last name, so one text filter finds exactly them.
  const tag = `Nodeexample${Date.now()}${randomUUID().slice(0, 6)}`;
  console.log(`createLead × 5 (last name ${tag})`);
  const created = [];
  for (let i = 1; i <= 5; i++) {
    const { createLead: result } = await marketing.request(CREATE_LEAD, {
      input: {
        email: `${tag.toLowerCase()}.${i}@example.com`,
        firstName: `Lead${i}`,
        lastName: tag,
        source: 'INBOUND',
        company: { name: 'Example Robotics', domain: 'example.org', country: 'NL' },
      },
    });
    check(result.__typename === 'LeadCreated', `createLead ${i}: ${JSON.stringify(result)}`);
    check(result.lead.stage === 'NEW', `createLead ${i}: stage ${result.lead.stage}`);
    created.push(result.lead.id);
  }
  console.log(`  created ${created.join(', ')}`);

  // 2. The leads connection, two at a time: three pages (2 + 2 + 1).
  console.log('leads(filter: {text}) with first: 2, following pageInfo.endCursor');
  const leads = await readAll(marketing, LEADS_PAGE, 'leads', { filter: { text: tag } }, 2);
  const found = leads.nodes.map((lead) => lead.id);
  check(leads.pages === 3, `expected 3 pages of leads, got ${leads.pages}`);
  check(new Set(found).size === found.length, `a lead appeared on two pages: ${found}`);
  check(found.length === 5 && created.every((id) => found.includes(id)),
    `expected the 5 new leads, got ${JSON.stringify(found)}`);

  // 3. Marketing qualifies the first lead, sales accepts it.
  const leadId = created[0];
  console.log(`moveLeadStage ${leadId}`);
  await move(marketing, leadId, 'MQL', 'node example: qualified by marketing');
  await move(sales, leadId, 'SQL', 'node example: accepted by sales');

  // 4. Their events, three at a time from the start of the log: 5 LEAD_CREATED + 2 STAGE_CHANGED
  //    (a scoring policy, like the demo's, adds SCORE_CHANGED events: filtered out here).
  //    Events reach the log shortly after the change: retry for up to 10 s until all 7 are there.
  const filter = { leadIds: created, types: ['LEAD_CREATED', 'STAGE_CHANGED'] };
  let events;
  for (let attempt = 1; ; attempt++) {
    console.log(`leadEvents(filter: {leadIds}) with first: 3, following pageInfo.endCursor (attempt ${attempt})`);
    events = await readAll(sales, EVENTS_PAGE, 'leadEvents', { filter }, 3);
    if (events.nodes.length >= 7 || attempt === 20) break;
    await sleep(500);
  }
  const count = (type) => events.nodes.filter((event) => event.type === type).length;
  check(events.nodes.length === 7, `expected 7 events, got ${events.nodes.length}`);
  check(count('LEAD_CREATED') === 5 && count('STAGE_CHANGED') === 2,
    `unexpected event types: ${JSON.stringify(events.nodes.map((e) => e.type))}`);
  check(new Set(events.nodes.map((e) => e.eventId)).size === 7, 'an event appeared twice');
  const seqs = events.nodes.filter((e) => e.leadId === leadId).map((e) => e.seq);
  check(seqs.length === 3 && seqs[0] === 1 && seqs[1] < seqs[2],
    `seq of the moved lead: ${JSON.stringify(seqs)}, expected 1 then increasing`);

  console.log(`node example OK: 5 leads in ${leads.pages} pages, ${leadId} NEW → MQL → SQL, `
    + `7 events in ${events.pages} pages`);
}

try {
  await main();
} catch (error) {
  if (error instanceof ClientError) {
    console.error(`FAILED: HTTP ${error.response.status}`, JSON.stringify(error.response.errors ?? error.response, null, 2));
  } else {
    console.error(`FAILED: ${error.message}${error.cause ? ` (${error.cause.message ?? error.cause})` : ''}`);
  }
  process.exitCode = 1;
}
