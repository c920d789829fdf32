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
JAR=service/target/earshot.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PORT=${PORT:-18080}
SESSIONS=${1:-15000}
GATEWAY_OPTS=${GATEWAY_OPTS:-"-XX:+UseSerialGC -Xmx1g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseCompactObjectHeaders"}
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }
"$JAVA" $GATEWAY_OPTS -Dasr.engine=synthetic -Dserver.port="$PORT" -Dasr.port=0 -Dsessions.max=20000 \
     -jar "$JAR" serve > "/tmp/earshot-bench-gateway-$PORT.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$PORT/observe/health/live" > /dev/null 2>&1 && break
  sleep 0.2
done
echo "=== $SESSIONS idle sessions, gateway: $GATEWAY_OPTS"
"$JAVA" -jar "$JAR" loadtest --url "ws://127.0.0.1:$PORT/api/v1/transcribe" --sessions "$SESSIONS" \
     --seconds 40 --ramp 1000 --hold --quiet || true
