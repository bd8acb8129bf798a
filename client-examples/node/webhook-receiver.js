// A webhook receiver that verifies Leadgraph's signatures, for scripts that cannot hold a socket.
//
// Every delivery is a POST with the event as JSON and three headers:
//   Leadgraph-Event-Id   the event id (deliveries are at least once: deduplicate by it)
//   Leadgraph-Timestamp  Unix seconds when this attempt was signed
//   Leadgraph-Signature  v1=<hex HMAC-SHA256 of `${timestamp}.${raw body}`, keyed with the endpoint's secret>
// Verify: recompute the HMAC over the raw bytes you received (not re-serialised JSON), compare in
// constant time, refuse timestamps more than 5 minutes away from now, then answer 2xx quickly
// (anything else, or no answer within 10 s, is retried with backoff).
//
//   LEADGRAPH_WEBHOOK_SECRET=whsec_… PORT=9000 node webhook-receiver.js   receive until stopped
//   node webhook-receiver.js --demo    CI check: registers itself (the dev profile allows loopback
//                                      targets), gets a signed STAGE_CHANGED, rejects a forged one
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual, randomUUID } from 'node:crypto';
import { clientFor as client } from './leadgraph.js';
import { setTimeout as sleep } from 'node:timers/promises';

const TOLERANCE_SECONDS = 5 * 60;

/** True when the signature is Leadgraph's for this body and timestamp, and the timestamp is fresh. */
export function verify(secret, rawBody, timestamp, signature, now = Date.now() / 1000) {
  if (!timestamp || !signature || Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

/** An HTTP server that verifies each delivery and hands the event (once per event id) to `onEvent`. */
function receiver(secretOf, onEvent) {
  const seen = new Set();
  return createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const ok = verify(secretOf(), raw, request.headers['leadgraph-timestamp'], request.headers['leadgraph-signature']);
      if (!ok) {
        response.writeHead(401).end();
        onEvent(null, 'rejected: bad signature or stale timestamp');
        return;
      }
      response.writeHead(204).end(); // answer first, work after: slow receivers get retried
      const id = request.headers['leadgraph-event-id'];
      if (!seen.has(id)) {
        seen.add(id);
        onEvent(JSON.parse(raw), 'verified');
      }
    });
  });
}



async function demo() {
  let secret = null;
  let resolveDelivered;
  const delivered = new Promise((resolve) => { resolveDelivered = resolve; });
  let leadId = null;
  let rejected = 0;
  const server = receiver(() => secret, (event, outcome) => {
    if (!event) { rejected += 1; console.log(`  ${outcome}`); return; }
    console.log(`  ${outcome}: ${event.type} of ${event.leadId} (seq ${event.seq})`);
    if (event.leadId === leadId && event.type === 'STAGE_CHANGED') resolveDelivered(event);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/leadgraph`;

  const automation = await client(process.env.LEADGRAPH_AUTOMATION_CLIENT ?? 'demo-automation:demo-automation-secret');
  const { createWebhookEndpoint: created } = await automation.request(
    `mutation($url: String!) { createWebhookEndpoint(input: {url: $url, eventTypes: [STAGE_CHANGED]}) { endpoint { id } secret } }`,
    { url });
  secret = created.secret;
  console.log(`endpoint ${created.endpoint.id} registered for ${url} (the secret is shown once: keep it)`);

  try {
    const marketing = await client(process.env.LEADGRAPH_MARKETING_CLIENT ?? 'demo-marketing:demo-marketing-secret');
    const { createLead } = await marketing.request(
      `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on LeadCreated { lead { id } } } }`,
      { input: { email: `webhook.${randomUUID()}@example.org` } });
    leadId = createLead.lead.id;
    await marketing.request(`mutation($input: MoveLeadStageInput!) { moveLeadStage(input: $input) { __typename } }`,
      { input: { leadId, to: 'MQL', reason: 'webhook example' } });
    console.log(`lead ${leadId} moved NEW → MQL; waiting for the delivery`);
    const event = await Promise.race([delivered, sleep(20_000).then(() => { throw new Error('no delivery within 20 s'); })]);
    if (event.payload.to !== 'MQL') throw new Error(`unexpected payload ${JSON.stringify(event.payload)}`);

    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'Leadgraph-Timestamp': `${Math.floor(Date.now() / 1000)}`, 'Leadgraph-Signature': 'v1=00', 'Leadgraph-Event-Id': 'x' },
      body: '{"type":"STAGE_CHANGED"}',
    });
    if (forged.status !== 401 || rejected !== 1) throw new Error('a forged delivery was not rejected');
    console.log('webhook example OK: signed delivery verified, forged one rejected');
  }
  finally {
    await automation.request(`mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, active: false}) { active } }`,
      { id: created.endpoint.id });
    server.close();
  }
}

if (process.argv.includes('--demo')) {
  demo().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
}
else if (process.argv[1]?.endsWith('webhook-receiver.js')) {
  const secret = process.env.LEADGRAPH_WEBHOOK_SECRET;
  if (!secret) throw new Error('set LEADGRAPH_WEBHOOK_SECRET to the secret createWebhookEndpoint returned');
  const port = Number(process.env.PORT ?? 9000);
  receiver(() => secret, (event, outcome) => console.log(event ? `${outcome}: ${JSON.stringify(event)}` : outcome))
    .listen(port, () => console.log(`receiving Leadgraph webhooks on :${port}`));
}
