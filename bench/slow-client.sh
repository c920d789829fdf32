#!/usr/bin/env bash
# Does a client that stops reading slow anybody else down? Streams SESSIONS real-time sessions
# through a local gateway (synthetic recognizer) twice on one gateway: alone, then with one
# `earshot-tools stall` client beside them (it streams audio and never reads, so the gateway's
# writes to it block once its socket buffers are full). Compare the two reports' latency
# percentiles; the stall client says when the gateway closed it (sessions.write-timeout).
#
#   bench/slow-client.sh                 # 200 sessions, 60 s each
#   SESSIONS=500 SECONDS_PER_RUN=90 bench/slow-client.sh
#
# Needs service/target/earshot.jar and tools/target/earshot-tools.jar (./mvnw -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/gateway.sh
SESSIONS=${SESSIONS:-200}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-60}

start_gateway -Xmx1g
"$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions 300 --seconds 10 --quiet > /dev/null || true

echo "=== $SESSIONS sessions, $SECONDS_PER_RUN s of audio each: alone"
"$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions "$SESSIONS" --seconds "$SECONDS_PER_RUN" --quiet || true

echo "=== $SESSIONS sessions, $SECONDS_PER_RUN s of audio each: beside one client that never reads"
"$JAVA" -jar "$TOOLS" stall --url "$URL" --seconds $((SECONDS_PER_RUN + 10)) &
stall=$!
sleep 1
"$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions "$SESSIONS" --seconds "$SECONDS_PER_RUN" --quiet || true
wait "$stall" || true
grep -c "slow consumer" "/tmp/earshot-bench-gateway-$PORT.log" | sed 's/^/slow consumers closed by the gateway: /'
stop_gateway
