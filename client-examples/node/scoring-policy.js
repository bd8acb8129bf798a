// Scoring policies as code: imports a YAML policy from git as a draft, simulates it against the
// active policy and what sales did in the last 90 days, and with --activate makes it the active
// policy and follows the re-scoring job over graphql-ws until every lead is scored.
//
//   node scoring-policy.js [file.yaml] [--activate]
//
// Environment: see leadgraph.js; LEADGRAPH_MARKETING (demo-marketing:demo-marketing-secret).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { baseUrl, token, clientFor } from './leadgraph.js';

const marketingClient = process.env.LEADGRAPH_MARKETING ?? 'demo-marketing:demo-marketing-secret';
const file = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? '../scoring/inbound-with-webinars.yaml';
const activate = process.argv.includes('--activate');
const policyId = 'inbound-webinars';

const IMPORT = `mutation($input: ImportScoringPolicyInput!) {
  importScoringPolicy(input: $input) { policy { id version status name } }
}`;

const SIMULATE = `mutation($input: SimulateScoringPolicyInput!) {
  simulateScoringPolicy(input: $input) {
    leadsEvaluated
    draft { mqlCount decided precision recall }
    active { mqlCount decided precision recall }
    newlyMql { count leads { email score { total } } }
    noLongerMql { count }
    histogram { from to draft active }
  }
}`;

const ACTIVATE = `mutation($input: ActivateScoringPolicyInput!) {
  activateScoringPolicy(input: $input) {
    __typename
    ... on ScoringPolicyActivated { policy { version status } previous { id version status } job { id } }
    ... on ScoringPolicyActivationRefused { reason message }
  }
}`;

const percent = (share) => (share == null ? 'n/a' : `${(share * 100).toFixed(1)} %`);

async function main() {
  const marketing = await clientFor(marketingClient);

  // problems come back as BAD_REQUEST errors naming the YAML path, e.g. yaml.fitRules[2].points
  const { importScoringPolicy: { policy } } = await marketing.request(IMPORT, {
    input: { id: policyId, yaml: readFileSync(new URL(file, import.meta.url), 'utf8') },
  });
  console.log(`imported ${file} as ${policy.id} v${policy.version} (${policy.status}): ${policy.name}`);

  const { simulateScoringPolicy: run } = await marketing.request(SIMULATE, {
    input: { draft: { id: policy.id, version: policy.version }, sample: 3 },
  });
  console.log(`simulated over ${run.leadsEvaluated} leads (nothing written):`);
  console.log(`  draft : ${run.draft.mqlCount} MQL, precision ${percent(run.draft.precision)}, recall ${percent(run.draft.recall)} on ${run.draft.decided} decided leads`);
  if (run.active) {
    console.log(`  active: ${run.active.mqlCount} MQL, precision ${percent(run.active.precision)}, recall ${percent(run.active.recall)}`);
  }
  console.log(`  newly MQL: ${run.newlyMql.count} (${run.newlyMql.leads.map((lead) => lead.email).join(', ')}); no longer MQL: ${run.noLongerMql.count}`);
  for (const bucket of run.histogram) {
    console.log(`  ${String(bucket.from).padStart(6)} … ${String(bucket.to).padEnd(6)} draft ${'#'.repeat(Math.ceil(bucket.draft / 5)).padEnd(30)} active ${bucket.active}`);
  }

  if (!activate) return;
  const { activateScoringPolicy: outcome } = await marketing.request(ACTIVATE, {
    input: { id: policy.id, version: policy.version },
  });
  if (outcome.__typename !== 'ScoringPolicyActivated') throw new Error(`not activated: ${outcome.message}`);
  console.log(`activated v${outcome.policy.version}; ${outcome.previous ? `${outcome.previous.id} v${outcome.previous.version} is ${outcome.previous.status}` : 'first policy'}`);

  const ws = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: async () => ({ Authorization: `Bearer ${await token(marketingClient)}` }),
  });
  try {
    const job = ws.iterate({
      query: 'subscription($id: ID!) { scoringJob(id: $id) { status processed total changed qualified } }',
      variables: { id: outcome.job.id },
    });
    let last;
    for await (const { data, errors } of job) {
      if (errors) throw new Error(JSON.stringify(errors));
      last = data.scoringJob;
      console.log(`  job ${last.status}: ${last.processed}/${last.total} leads`);
    }
    if (last?.status !== 'COMPLETED') throw new Error(`job ended ${last?.status}`);
    console.log(`every lead scored: ${last.changed} scores changed, ${last.qualified} leads became MQL`);
  } finally {
    await ws.dispose();
  }
}

main().catch((error) => {
  console.error(`FAILED: ${error.message}`);
  process.exit(1);
});
