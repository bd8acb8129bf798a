// GraphQL over WebSocket conformance: what graphql-ws's own client, and a raw socket sending the
// frames the protocol (graphql-ws PROTOCOL.md) rules on, get from a running Leadgraph.
//
//   npm ci && LEADGRAPH_URL=http://127.0.0.1:8080 node audit.mjs
//
// Prints one line per check and a summary, and exits 1 when any check fails. Token expiry (4403 a
// second after `exp`) needs a short-lived token and is checked by event/TokenExpiryIT instead.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { devToken } from '../dev-token.mjs';

const baseUrl = (process.env.LEADGRAPH_URL || 'http://localhost:8080').replace(/\/+$/, '');
const wsUrl = baseUrl.replace(/^http/, 'ws') + '/graphql';
const client = process.env.LEADGRAPH_AUDIT_CLIENT || 'demo-marketing:demo-marketing-secret';


const bearer = `Bearer ${await devToken(baseUrl, client)}`;
const init = (authorization) => JSON.stringify({ type: 'connection_init', payload: { Authorization: authorization } });
const subscribe = (id, query) => JSON.stringify({ id, type: 'subscribe', payload: { query } });
const LEADS = '{ leads(first: 1) { edges { cursor } } }';
const FOLLOW = 'subscription { leadEvents { eventId } }';

/** A raw socket: sends the frames, one after each message the server sends, and resolves how it closed. */
function raw(frames, { protocols = ['graphql-transport-ws'], timeoutMs = 15_000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, protocols);
    const started = Date.now();
    const received = [];
    const pending = [...frames];
    const timer = setTimeout(() => { socket.terminate(); reject(new Error(`not closed within ${timeoutMs} ms; got ${received}`)); }, timeoutMs);
    const sendNext = () => {
      while (pending.length > 0) {
        const frame = pending.shift();
        if (frame === 'await') return;
        socket.send(frame);
      }
    };
    socket.on('open', sendNext);
    socket.on('message', (data) => { received.push(String(data)); sendNext(); });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: String(reason), received, ms: Date.now() - started });
    });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

/** graphql-ws's client: the first result of one operation, or the close event that ended it. */
function viaClient(query, options = {}) {
  const ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
  return new Promise((resolve) => {
    const stop = ws.subscribe({ query }, {
      next: (result) => { stop(); resolve({ result }); },
      error: (error) => resolve({ error }),
      complete: () => {},
    });
  }).finally(() => ws.dispose());
}

const checks = [
  ['a query over the socket answers data (graphql-ws client)', async () => {
    const { result, error } = await viaClient(LEADS, { connectionParams: { Authorization: bearer } });
    return !error && result?.data?.leads?.edges !== undefined && !result.errors || `got ${JSON.stringify(result ?? error?.code)}`;
  }],
  ['a refused token is 4403, which the client retries by default, with fresh connectionParams (graphql-ws client)', async () => {
    let attempts = 0;
    const { result, error } = await viaClient(LEADS, {
      connectionParams: () => ({ Authorization: ++attempts === 1 ? 'Bearer not-a-jwt' : bearer }),
      retryAttempts: 2,
      retryWait: async () => {},
    });
    return (!error && result?.data && attempts === 2) || `attempts ${attempts}, got ${JSON.stringify(result ?? error?.code)}`;
  }],
  ['connection_init without a token: 4403', async () => expectClose(await raw([init(undefined)]), 4403)],
  ['connection_init with an invalid token: 4403', async () => expectClose(await raw([init('Bearer not-a-jwt')]), 4403)],
  ['subscribe before connection_ack: 4401', async () => expectClose(await raw([subscribe('1', FOLLOW)]), 4401)],
  ['a second connection_init: 4429', async () => expectClose(await raw([init(bearer), 'await', init(bearer)]), 4429)],
  ['a subscription id already running: 4409', async () => expectClose(await raw([init(bearer), 'await', subscribe('1', FOLLOW), subscribe('1', FOLLOW)]), 4409)],
  ['a frame that is not JSON: 4400', async () => expectClose(await raw([init(bearer), 'await', '{"type":']), 4400)],
  ['a message of an unknown type: 4400', async () => expectClose(await raw([init(bearer), 'await', '{"type":"hello"}']), 4400)],
  ['a message of a server-only type: 4400', async () => expectClose(await raw([init(bearer), 'await', '{"id":"1","type":"next","payload":{}}']), 4400)],
  ['a payload that is not an object, before any connection_init: 4400', async () => expectClose(await raw(['{"type":"connection_init","payload":"x"}']), 4400)],
  ['subscribe without a query: 4400', async () => expectClose(await raw([init(bearer), 'await', subscribe('1', undefined)]), 4400)],
  ['subscribe without payload: 4400', async () => expectClose(await raw([init(bearer), 'await', '{"id":"1","type":"subscribe"}']), 4400)],
  ['the legacy subprotocol "graphql-ws" alone is not accepted (no subprotocol in the handshake, or 4406)', async () => {
    try {
      return expectClose(await raw([], { protocols: ['graphql-ws'] }), 4406);
    } catch (error) {
      return /no subprotocol/i.test(error?.message) || `failed otherwise: ${error?.message}`;
    }
  }],
  ['no connection_init: 4408 within 10 s', async () => {
    const closed = await raw([]);
    return expectClose(closed, 4408) === true && closed.ms <= 11_000 || `${closed.code} after ${closed.ms} ms`;
  }],
  ['ping is answered with pong', async () => {
    const closed = raw([init(bearer), 'await', '{"type":"ping"}', 'await', '{"type":"hello"}']);
    const { received } = await closed;
    return received.some((frame) => JSON.parse(frame).type === 'pong') || `got ${received}`;
  }],
];

function expectClose(closed, code) {
  return closed.code === code || `closed with ${closed.code} "${closed.reason}"`;
}

let failed = 0;
for (const [name, check] of checks) {
  let outcome;
  try {
    outcome = await check();
  } catch (error) {
    outcome = `fatal: ${error?.message ?? error}`;
  }
  if (outcome === true) {
    console.log(`ok     ${name}`);
  } else {
    failed++;
    console.log(`FAILED ${name}\n         ${outcome}`);
  }
}
console.log(`\n${checks.length - failed}/${checks.length} graphql-ws checks passed`);
process.exit(failed === 0 ? 0 : 1);
