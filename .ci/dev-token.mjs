// A token from Leadgraph's dev issuer by client credentials, for the CI audits. `client` is
// "id:secret"; `baseUrl` the service's address.
export async function devToken(baseUrl, client) {
  const res = await fetch(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(client).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  const { access_token: accessToken } = await res.json();
  if (!accessToken) throw new Error('token endpoint answered no access_token');
  return accessToken;
}
