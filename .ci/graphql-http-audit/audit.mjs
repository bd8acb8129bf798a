// GraphQL over HTTP conformance: graphql-http's server audits against a running Leadgraph.
//
//   npm ci && LEADGRAPH_URL=http://127.0.0.1:8080 node audit.mjs
//
// Gets a token from the dev issuer by client credentials (LEADGRAPH_AUDIT_CLIENT, "id:secret",
// default demo-marketing:demo-marketing-secret), runs every audit of graphql-http's serverAudits
// against ${LEADGRAPH_URL}/graphql with "Authorization: Bearer <token>" added to each request,
// prints each audit (id, status, name, reason) and a summary line, and exits 1 when a MUST fails.
import { serverAudits } from 'graphql-http';
import { devToken } from '../dev-token.mjs';

const baseUrl = (process.env.LEADGRAPH_URL || 'http://localhost:8080').replace(/\/+$/, '');
const client = process.env.LEADGRAPH_AUDIT_CLIENT || 'demo-marketing:demo-marketing-secret';


const bearer = `Bearer ${await devToken(baseUrl, client)}`;

// The audits build their own headers (a plain object); add ours without dropping theirs.
const authedFetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', bearer);
  return fetch(input, { ...init, headers });
};

const level = (name) => name.split(' ', 1)[0]; // 'MUST' | 'SHOULD' | 'MAY'

async function describe(response) {
  if (!response) return '';
  let body = '';
  try {
    body = (await response.text()).replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    body = '(body already read by the audit)';
  }
  return `HTTP ${response.status} ${response.headers.get('content-type') ?? '(no content-type)'} ${body}`;
}

const audits = serverAudits({ url: `${baseUrl}/graphql`, fetchFn: authedFetch });
const results = [];
for (const { id, name, fn } of audits) {
  // One at a time: a fatal (non-assertion) error is reported against its audit, not the run.
  try {
    results.push(await fn());
  } catch (err) {
    results.push({ id, name, status: 'error', reason: `fatal: ${err?.message ?? err}` });
  }
}

const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
for (const result of results) {
  const tally = counts[level(result.name)];
  tally[1]++;
  if (result.status === 'ok') tally[0]++;
  const line = `${result.status.padEnd(6)} ${result.id} ${result.name}`;
  if (result.status === 'ok') {
    console.log(line);
  } else {
    console.log(`${line}\n         reason: ${result.reason}`);
    const seen = await describe(result.response);
    if (seen) console.log(`         response: ${seen}`);
  }
}

const summary = (key) => `${key} ${counts[key][0]}/${counts[key][1]}`;
console.log(`\n${summary('MUST')}, ${summary('SHOULD')}, ${summary('MAY')}`);
process.exit(counts.MUST[0] === counts.MUST[1] ? 0 : 1);
