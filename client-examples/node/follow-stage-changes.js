// An automation script that reacts to leads sales has accepted (MQL → SQL), using the leadEvents
// subscription over graphql-ws. It keeps the cursor of the last event it handled in a file, so after
// a restart, a crash or a network outage it resubscribes with `after: <cursor>` and receives every
// event it missed, once, in order.
//
//   node follow-stage-changes.js            follow until stopped (Ctrl-C)
//   node follow-stage-changes.js --demo     CI check: see a lead accepted while following, stop,
//                                           let another lead be accepted while "down", restart,
//                                           and see that one too (exits non-zero otherwise)
//
// Environment (all optional): LEADGRAPH_URL (http://localhost:8080), LEADGRAPH_TOKEN_URL,
// LEADGRAPH_FOLLOWER_CLIENT (demo-automation:demo-automation-secret), LEADGRAPH_MARKETING_CLIENT and
// LEADGRAPH_SALES_CLIENT (used by --demo to move leads), LEADGRAPH_CURSOR_FILE (.leadgraph-cursor in
// the working directory).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { baseUrl, token, clientFor } from './leadgraph.js';
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const followerClient = process.env.LEADGRAPH_FOLLOWER_CLIENT ?? 'demo-automation:demo-automation-secret';
const marketingClient = process.env.LEADGRAPH_MARKETING_CLIENT ?? 'demo-marketing:demo-marketing-secret';
const salesClient = process.env.LEADGRAPH_SALES_CLIENT ?? 'demo-sales:demo-sales-secret';
const cursorFile = process.env.LEADGRAPH_CURSOR_FILE ?? '.leadgraph-cursor';

const FOLLOW = `
  subscription Follow($after: String) {
    leadEvents(filter: { types: [STAGE_CHANGED] }, after: $after) {
      eventId cursor leadId seq type occurredAt actor payload
    }
  }
`;


function savedCursor() {
  return existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8').trim() || null : null;
}

/** Written to a temporary file and renamed, so a crash never leaves half a cursor. */
function saveCursor(cursor) {
  writeFileSync(`${cursorFile}.tmp`, cursor);
  renameSync(`${cursorFile}.tmp`, cursorFile);
}

/**
 * Follows stage changes from the saved cursor (from now on when there is none) and calls `handle`
 * for each; resubscribes from the newest saved cursor after any failure. Returns when `handle`
 * returns true.
 */
async function follow(handle) {
  for (let attempt = 0; ; attempt++) {
    const client = createClient({
      url: baseUrl.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      // a fresh token for every connection: tokens expire, the cursor does not
      connectionParams: async () => ({ Authorization: `Bearer ${await token(followerClient)}` }),
      retryAttempts: 0,
    });
    try {
      const after = savedCursor();
      console.log(after ? `subscribing after the saved cursor` : 'subscribing from now on (no saved cursor)');
      for await (const result of client.iterate({ query: FOLLOW, variables: { after } })) {
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        const event = result.data.leadEvents;
        const done = await handle(event);
        saveCursor(event.cursor);
        if (done) return;
      }
    }
    catch (error) {
      const wait = Math.min(30_000, 500 * 2 ** attempt);
      console.log(`subscription ended (${error.message ?? error}); resuming from the saved cursor in ${wait} ms`);
      await sleep(wait);
    }
    finally {
      await client.dispose();
    }
  }
}

function isAcceptedBySales(event) {
  return event.payload.from === 'MQL' && event.payload.to === 'SQL';
}

/** Creates a lead; returns its id and the cursor of its creation event (where a follower may start). */
async function newLead(label) {
  const marketing = await clientFor(marketingClient);
  const { createLead } = await marketing.request(
    `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }`,
    { input: { email: `${label}.${randomUUID()}@example.org`, firstName: 'Follow', lastName: label } });
  const leadId = createLead.lead.id;
  const { leadEvents } = await marketing.request(
    `query($ids: [ID!]) { leadEvents(filter: {leadIds: $ids}) { edges { cursor } } }`, { ids: [leadId] });
  return { leadId, cursor: leadEvents.edges.at(-1).cursor };
}

/** Takes a lead NEW → MQL → SQL, as marketing and sales would. */
async function accept(label, leadId) {
  const marketing = await clientFor(marketingClient);
  const sales = await clientFor(salesClient);
  const move = `mutation($input: MoveLeadStageInput!) { moveLeadStage(input: $input) { __typename } }`;
  await marketing.request(move, { input: { leadId, to: 'MQL', reason: 'follow example' } });
  await sales.request(move, { input: { leadId, to: 'SQL', reason: 'follow example' } });
  console.log(`${label}: lead ${leadId} taken NEW → MQL → SQL`);
}

async function demo() {
  // start right after a lead of our own was created: no race between subscribing and the moves
  const { leadId: first, cursor } = await newLead('while-following');
  saveCursor(cursor);
  const seenFirst = follow(async (event) => {
    if (isAcceptedBySales(event)) console.log(`  accepted by sales: ${event.leadId} (seq ${event.seq}, by ${event.actor})`);
    return event.leadId === first && isAcceptedBySales(event);
  });
  await accept('while-following', first);
  await withTimeout(seenFirst, 'the lead accepted while following');

  console.log('follower stopped; a lead is accepted while it is down');
  const { leadId: missed } = await newLead('while-down');
  await accept('while-down', missed);

  let missedSeen = false;
  await withTimeout(follow(async (event) => {
    check(event.leadId !== first, 'an event handled before the restart came again');
    if (event.leadId === missed && isAcceptedBySales(event)) {
      console.log(`  after the restart, the missed one: ${event.leadId} (seq ${event.seq})`);
      missedSeen = true;
    }
    return missedSeen;
  }), 'the lead accepted while the follower was down');
  rmSync(cursorFile, { force: true });
  console.log('follow example OK: nothing missed across the restart, nothing repeated');
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function withTimeout(promise, what) {
  const timeout = sleep(20_000).then(() => { throw new Error(`timed out waiting for ${what}`); });
  return Promise.race([promise, timeout]);
}

if (process.argv.includes('--demo')) {
  demo().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
}
else {
  follow(async (event) => {
    if (isAcceptedBySales(event)) console.log(`accepted by sales: lead ${event.leadId} at ${event.occurredAt} by ${event.actor}`);
    return false;
  });
}
