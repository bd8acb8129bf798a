// What every example needs: the service's address, and tokens by the client credentials grant.
//
// Environment (all optional): LEADGRAPH_URL (http://localhost:8080), LEADGRAPH_TOKEN_URL
// ($LEADGRAPH_URL/oauth2/token, the dev issuer).
import { GraphQLClient } from 'graphql-request';

export const baseUrl = (process.env.LEADGRAPH_URL ?? 'http://localhost:8080').replace(/\/$/, '');
export const tokenUrl = process.env.LEADGRAPH_TOKEN_URL ?? `${baseUrl}/oauth2/token`;

/** An access token by the client credentials grant; `credentials` is `id:secret`, sent with HTTP Basic. */
export async function token(credentials) {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`token for ${credentials.split(':')[0]}: HTTP ${response.status} ${body}`);
  return JSON.parse(body).access_token;
}

/** A GraphQL-over-HTTP client that sends a fresh token of that client on every request. */
export async function clientFor(credentials) {
  return new GraphQLClient(`${baseUrl}/graphql`, { headers: { Authorization: `Bearer ${await token(credentials)}` } });
}
