#!/usr/bin/env bash
# Opens idle sessions (start, then keepalives only) against a local gateway and prints the load
# tool's report, including the gateway's resident memory per held session (docs/performance.md).
#
#   bench/gateway-idle.sh [SESSIONS]             default: 15000
#   GATEWAY_OPTS="..." bench/gateway-idle.sh 15000
#
# Each side holds one descriptor per session: both processes need `ulimit -n` above SESSIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/gateway.sh
SESSIONS=${1:-15000}
# A fixed young generation (-Xmn64m): by default it is a third of the heap and grows with the
# sessions' long-lived data, so resident memory would count an ever larger nursery, not sessions.
GATEWAY_OPTS=${GATEWAY_OPTS:-"-XX:+UseSerialGC -Xmx1g -Xmn64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseCompactObjectHeaders"}
# shellcheck disable=SC2086  # GATEWAY_OPTS is a list of options
start_gateway $GATEWAY_OPTS
echo "=== $SESSIONS idle sessions, gateway: $GATEWAY_OPTS"
"$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions "$SESSIONS" \
     --seconds 40 --ramp 1000 --hold --quiet || true
