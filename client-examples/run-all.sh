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
echo "### Node scoring policy as code (import YAML, simulate, activate, follow the job)"
node scoring-policy.js --activate

echo
echo "### Node rep queue (handoffs routed to demo-sales, accept, a second decision is a conflict, stats)"
node rep-queue.js --demo

echo
echo "### Node partner referral (client credentials, idempotent retries, conflict, myReferrals)"
node partner-referral.js --demo

echo
echo "### Java (Spring's WebSocketGraphQlClient and HttpSyncGraphQlClient)"
# the example runs inside Maven's JVM (exec:java), so Maven must run on a JDK >= 21
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -x "$candidate/bin/java" ] || continue
  major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  if [ "${major:-0}" -ge 21 ] 2>/dev/null; then java_home=$candidate; break; fi
done
JAVA_HOME=${java_home:?no JDK >= 21 found} "$here/../mvnw" -q -B -ntp -f "$here/java/pom.xml" compile exec:java

echo
echo "client examples OK"
