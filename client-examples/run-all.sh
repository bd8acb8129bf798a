#!/usr/bin/env bash
# Runs every client example against a running service; exits non-zero when one fails.
# CI starts the service first (dev profile), then calls this. LEADGRAPH_URL and the other
# LEADGRAPH_* variables described in walkthrough.sh and node/index.js are passed through.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

echo "### curl walkthrough"
"$here/walkthrough.sh"

echo
echo "### Node example"
cd "$here/node"
npm ci --no-audit --no-fund
node index.js

echo
echo "### Node follower (graphql-ws subscription, resumes from a saved cursor)"
node follow-stage-changes.js --demo

echo
echo "### Node webhook receiver (verifies signatures)"
node webhook-receiver.js --demo

echo
echo "client examples OK"
