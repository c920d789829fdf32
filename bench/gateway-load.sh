#!/usr/bin/env bash
# Streams real-time sessions through a local gateway (synthetic recognizer) with `earshot-tools loadtest`
# and prints the load tool's report for each session count. Gateway and load tool share this
# machine's cores, as in docs/performance.md.
#
#   bench/gateway-load.sh [SESSIONS...]          default: 1000 1500 2000 2400
#   GATEWAY_OPTS="-Xmx1g ..." SECONDS_PER_RUN=20 RAMP=400 bench/gateway-load.sh 1500
#   RIVA=network bench/gateway-load.sh 1000   # recognizer in its own process, over gRPC/TCP
#   LOOPS=2 bench/gateway-load.sh 2400         # the load tool on two event-loop threads
#   WARMUP_SECONDS=40 bench/gateway-load.sh    # a longer warm-up (default 10 s)
#
# Needs service/target/earshot.jar and tools/target/earshot-tools.jar (./mvnw -B -DskipTests package)
# and JDK 21+ (JAVA_HOME, else java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/gateway.sh
GATEWAY_OPTS=${GATEWAY_OPTS:-"-Xmx1g"}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
RAMP=${RAMP:-400}
LOOPS=${LOOPS:-1}        # the load tool's event-loop threads
WARMUP_SECONDS=${WARMUP_SECONDS:-10}

for sessions in "${@:-1000 1500 2000 2400}"; do
  for n in $sessions; do
    # a fresh gateway per run, so one run's backlog never leaks into the next
    # shellcheck disable=SC2086  # GATEWAY_OPTS is a list of options
    start_gateway $GATEWAY_OPTS
    # warm-up: let the JIT compile the data path before measuring
    "$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions 300 --seconds "$WARMUP_SECONDS" --quiet > /dev/null || true
    echo "=== $n sessions, $SECONDS_PER_RUN s of audio each, ramp $RAMP/s, tool loops $LOOPS, recognizer: $RIVA, gateway: $GATEWAY_OPTS"
    [ -z "$asr" ] || asr_before=$(cpu_seconds "$asr")
    steal_before=$(steal_seconds)
    "$JAVA" -jar "$TOOLS" loadtest --url "$URL" --metrics "$METRICS" --sessions "$n" --seconds "$SECONDS_PER_RUN" --ramp "$RAMP" --loops "$LOOPS" --quiet || true
    echo "CPU stolen by other VMs in the run  $(awk -v a="$steal_before" -v b="$(steal_seconds)" 'BEGIN { printf "%.1f", b - a }') s"
    [ -z "$asr" ] || echo "recognizer process CPU during the run $(awk -v a="$asr_before" -v b="$(cpu_seconds "$asr")" 'BEGIN { printf "%.1f", b - a }') s"
    stop_gateway
  done
done
