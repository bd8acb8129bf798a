#!/usr/bin/env bash
# A walk through Leadgraph with curl: tokens, createLead, lead/leads, two stage moves by two teams,
# the event log, and what a partner and a caller without a token get.
# Needs a running service (dev profile: ./mvnw -pl api -am spring-boot:run from the repo root),
# curl and python3 (used only to read and write JSON; jq is not needed).
# Exits non-zero on the first unexpected answer, so CI can run it as a check.
#
# Environment (all optional):
#   LEADGRAPH_URL          service base URL                        (http://localhost:8080)
#   LEADGRAPH_TOKEN_URL    OAuth2 token endpoint                   ($LEADGRAPH_URL/oauth2/token, the dev issuer)
#   LEADGRAPH_MARKETING_CLIENT, LEADGRAPH_SALES_CLIENT, LEADGRAPH_PARTNER_CLIENT, LEADGRAPH_AUTOMATION_CLIENT
#                          client credentials as id:secret         (the dev demo clients)
set -euo pipefail

URL=${LEADGRAPH_URL:-http://localhost:8080}
URL=${URL%/}
TOKEN_URL=${LEADGRAPH_TOKEN_URL:-$URL/oauth2/token}
MARKETING_CLIENT=${LEADGRAPH_MARKETING_CLIENT:-demo-marketing:demo-marketing-secret}
SALES_CLIENT=${LEADGRAPH_SALES_CLIENT:-demo-sales:demo-sales-secret}
PARTNER_CLIENT=${LEADGRAPH_PARTNER_CLIENT:-demo-partner:demo-partner-secret}
AUTOMATION_CLIENT=${LEADGRAPH_AUTOMATION_CLIENT:-demo-automation:demo-automation-secret}

for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "walkthrough: $tool is required" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '%s\n' "$2" >&2; exit 1; }

# jget PATH < json: prints the value at a dotted path (list items by index, e.g. data.x.edges.0.node.id);
# strings bare, objects/lists as JSON, nothing when the path is absent or null.
jget() {
  python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    if isinstance(v, list) and k.isdigit() and int(k) < len(v):
        v = v[int(k)]
    elif isinstance(v, dict):
        v = v.get(k)
    else:
        v = None
    if v is None:
        break
if v is None:
    pass
elif isinstance(v, bool):
    print("true" if v else "false")
elif isinstance(v, (dict, list)):
    print(json.dumps(v))
else:
    print(v)
' "$1"
}

# pretty < json
pretty() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), indent=2))'; }

# token CLIENT:SECRET -> prints an access token (client credentials grant, HTTP Basic client auth)
token() {
  local code
  code=$(curl -sS -o "$work/token.json" -w '%{http_code}' -u "$1" \
    -d grant_type=client_credentials "$TOKEN_URL") || fail "no answer from $TOKEN_URL"
  [ "$code" = 200 ] || fail "token for ${1%%:*}: HTTP $code" "$(cat "$work/token.json")"
  jget access_token <"$work/token.json"
}

# gql TOKEN QUERY [VARIABLES_JSON] -> prints the response body; fails unless HTTP 200
gql() {
  local code vars=${3:-}
  [ -n "$vars" ] || vars='{}'
  python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1], "variables": json.loads(sys.argv[2])}))' \
    "$2" "$vars" >"$work/request.json"
  code=$(curl -sS -o "$work/response.json" -w '%{http_code}' \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -H 'Accept: application/json' \
    --data-binary "@$work/request.json" "$URL/graphql") || fail "no answer from $URL/graphql"
  [ "$code" = 200 ] || fail "POST /graphql: HTTP $code" "$(cat "$work/response.json")"
  cat "$work/response.json"
}

# no_errors RESPONSE WHAT: fails when the response carries GraphQL errors
no_errors() {
  [ -z "$(jget errors <<<"$1")" ] || fail "$2 returned errors" "$(pretty <<<"$1")"
}

# expect ACTUAL EXPECTED WHAT [RESPONSE]
expect() {
  [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'" "$([ -n "${4:-}" ] && pretty <<<"$4")"
}

suffix="$(date +%s)$RANDOM"
email="walkthrough.$suffix@example.com"
tag="Walkthrough$suffix"   # a unique last name, so the text search finds exactly this lead

step "1. Token for the marketing client (${MARKETING_CLIENT%%:*}) from $TOKEN_URL"
marketing=$(token "$MARKETING_CLIENT")
echo "access token: ${marketing:0:24}… (${#marketing} characters)"

step "2. createLead $email"
resp=$(gql "$marketing" '
mutation Create($input: CreateLeadInput!) {
  createLead(input: $input) {
    __typename
    ... on LeadCreated { lead { id email stage } }
    ... on LeadAlreadyExists { existingLead { id } }
  }
}' "{\"input\": {\"email\": \"$email\", \"firstName\": \"Ada\", \"lastName\": \"$tag\",
      \"title\": \"VP Marketing\", \"source\": \"INBOUND\",
      \"company\": {\"name\": \"Example Analytics\", \"domain\": \"example.com\", \"country\": \"DE\"}}}")
no_errors "$resp" createLead
expect "$(jget data.createLead.__typename <<<"$resp")" LeadCreated "createLead payload" "$resp"
id=$(jget data.createLead.lead.id <<<"$resp")
[ -n "$id" ] || fail "createLead returned no lead id" "$resp"
expect "$(jget data.createLead.lead.stage <<<"$resp")" NEW "stage of the new lead" "$resp"
echo "created lead $id in stage NEW"

step "3. lead(id: \"$id\")"
resp=$(gql "$marketing" '
query One($id: ID!) {
  lead(id: $id) { id email firstName lastName stage company { name domain } stageHistory { from to actor } createdAt }
}' "{\"id\": \"$id\"}")
no_errors "$resp" lead
pretty <<<"$resp"
expect "$(jget data.lead.email <<<"$resp")" "$email" "lead.email" "$resp"
expect "$(jget data.lead.stage <<<"$resp")" NEW "lead.stage" "$resp"

step "4. leads(filter: {text: \"$tag\"}, first: 5)"
resp=$(gql "$marketing" '
query Search($text: String!) {
  leads(filter: {text: $text}, first: 5) {
    edges { cursor node { id email stage } }
    pageInfo { hasNextPage endCursor }
  }
}' "{\"text\": \"$tag\"}")
no_errors "$resp" leads
pretty <<<"$resp"
expect "$(jget data.leads.edges.0.node.id <<<"$resp")" "$id" "first lead found by text" "$resp"
expect "$(jget data.leads.edges.1 <<<"$resp")" "" "a second lead with the unique name" "$resp"

MOVE='
mutation Move($input: MoveLeadStageInput!) {
  moveLeadStage(input: $input) {
    __typename
    ... on StageMoved { lead { stage } }
    ... on StageTransitionRefused { reason message }
  }
}'

step "5. moveLeadStage NEW → MQL as marketing"
resp=$(gql "$marketing" "$MOVE" "{\"input\": {\"leadId\": \"$id\", \"to\": \"MQL\", \"reason\": \"walkthrough\"}}")
no_errors "$resp" moveLeadStage
expect "$(jget data.moveLeadStage.__typename <<<"$resp")" StageMoved "move to MQL" "$resp"
expect "$(jget data.moveLeadStage.lead.stage <<<"$resp")" MQL "stage after the move" "$resp"
echo "lead $id is MQL"

step "6. Token for the sales client (${SALES_CLIENT%%:*}); moveLeadStage MQL → SQL as sales"
sales=$(token "$SALES_CLIENT")
resp=$(gql "$sales" "$MOVE" "{\"input\": {\"leadId\": \"$id\", \"to\": \"SQL\", \"reason\": \"accepted by sales\"}}")
no_errors "$resp" moveLeadStage
expect "$(jget data.moveLeadStage.__typename <<<"$resp")" StageMoved "move to SQL" "$resp"
expect "$(jget data.moveLeadStage.lead.stage <<<"$resp")" SQL "stage after the move" "$resp"
echo "lead $id is SQL"

step "7. leadEvents(filter: {leadIds: [\"$id\"], types: [LEAD_CREATED, STAGE_CHANGED]})"
# Events reach the log shortly after the change that caused them: poll for up to 10 s. With a scoring
# policy active (the demo's) the lead also has SCORE_CHANGED events, so seq may skip here.
EVENTS='
query Events($ids: [ID!]) {
  leadEvents(filter: {leadIds: $ids, types: [LEAD_CREATED, STAGE_CHANGED]}, first: 50) {
    edges { cursor node { seq type actor occurredAt payload } }
    pageInfo { hasNextPage endCursor }
  }
}'
for _ in $(seq 1 20); do
  resp=$(gql "$sales" "$EVENTS" "{\"ids\": [\"$id\"]}")
  no_errors "$resp" leadEvents
  [ -n "$(jget data.leadEvents.edges.2 <<<"$resp")" ] && break
  sleep 0.5
done
summary=$(python3 -c '
import json, sys
edges = json.load(sys.stdin)["data"]["leadEvents"]["edges"]
for e in edges:
    n = e["node"]
    print(n["seq"], n["type"], n["actor"], json.dumps(n["payload"]))
' <<<"$resp")
printf '%s\n' "$summary"
expect "$(cut -d' ' -f2 <<<"$summary" | tr '\n' ' ')" "LEAD_CREATED STAGE_CHANGED STAGE_CHANGED " \
  "events of the lead (types)" "$resp"

step "8. The partner client (${PARTNER_CLIENT%%:*}) may not list leads"
partner=$(token "$PARTNER_CLIENT")
resp=$(gql "$partner" '{ leads(first: 1) { edges { node { id } } } }')
pretty <<<"$resp"
expect "$(jget errors.0.extensions.classification <<<"$resp")" FORBIDDEN "error classification for a partner" "$resp"
expect "$(jget data.leads.edges <<<"$resp")" "" "leads data for a partner" "$resp"

step "9. No token, and a malformed token → HTTP 401"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"query":"{ leads(first: 1) { edges { cursor } } }"}' "$URL/graphql")
expect "$code" 401 "HTTP status without a token"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Authorization: Bearer not-a-jwt' \
  --data '{"query":"{ leads(first: 1) { edges { cursor } } }"}' "$URL/graphql")
expect "$code" 401 "HTTP status with a malformed token"
echo "401 and 401"

step "10. An automation script (${AUTOMATION_CLIENT%%:*}) records touchpoints: a demo request that captures a lead, its replay, a bad item"
automation=$(token "$AUTOMATION_CLIENT")
record='mutation($input: RecordTouchpointsInput!) { recordTouchpoints(input: $input) { results { index status leadCreated leadId code field touchpoint { id } } } }'
capture="capture.$suffix@example.com"
batch=$(python3 -c 'import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
demo = {"source": "walkthrough", "externalId": "demo-" + sys.argv[2], "type": "DEMO_REQUEST", "occurredAt": now,
        "email": sys.argv[1], "contact": {"firstName": "Casey", "company": "Example"}, "campaign": {"id": "walkthrough"}}
bad = {"source": "walkthrough", "externalId": "bad-" + sys.argv[2], "type": "TELEPATHY", "occurredAt": now, "email": sys.argv[1]}
print(json.dumps({"input": {"touchpoints": [demo, demo, bad]}}))' "$capture" "$suffix")
resp=$(gql "$automation" "$record" "$batch")
no_errors "$resp" recordTouchpoints
pretty <<<"$resp"
expect "$(jget data.recordTouchpoints.results.0.status <<<"$resp")" RECORDED "first item"
expect "$(jget data.recordTouchpoints.results.0.leadCreated <<<"$resp")" true "lead captured by the demo request"
expect "$(jget data.recordTouchpoints.results.1.status <<<"$resp")" DUPLICATE "the same touchpoint again"
expect "$(jget data.recordTouchpoints.results.2.code <<<"$resp")" INVALID_VALUE "unknown type" "$resp"
resp=$(gql "$automation" "$record" "$batch")
expect "$(jget data.recordTouchpoints.results.0.status <<<"$resp")" DUPLICATE "a replayed batch"

printf '\nwalkthrough OK: lead %s went NEW → MQL → SQL with 3 events; partner FORBIDDEN; no token 401; touchpoints captured a lead, replay DUPLICATE\n' "$id"
