# Shared by the bench scripts (sourced): the jars, the JVM, and a local gateway with the
# synthetic recognizer, started in the background and waited for.
JAR=service/target/earshot.jar            # the gateway (serve, asr-server)
TOOLS=tools/target/earshot-tools.jar      # the load tool (loadtest)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PORT=${PORT:-18080}
ADMIN_PORT=${ADMIN_PORT:-19090}          # server.admin-port: health and metrics
URL="ws://127.0.0.1:$PORT/api/v1/transcribe"
METRICS="http://127.0.0.1:$ADMIN_PORT/observe/metrics"
[ -f "$JAR" ] && [ -f "$TOOLS" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }

# RIVA=embedded (default): the gateway's own synthetic recognizer, reached in-process.
# RIVA=network: a separate `asr-server` process on ASR_PORT, reached over gRPC on loopback, as a
# self-hosted Riva would be (both processes on this machine's cores).
RIVA=${RIVA:-embedded}
ASR_PORT=${ASR_PORT:-18051}

# start_gateway JVM_OPTS...: sets $gateway (and $asr) to pids and stops them when the script exits
start_gateway() {
  local riva=()
  asr=
  if [ "$RIVA" = network ]; then
    "$JAVA" -Xmx512m -Dasr.engine=synthetic -Dasr.port="$ASR_PORT" -jar "$JAR" asr-server \
         > "/tmp/earshot-bench-asr-$ASR_PORT.log" 2>&1 &
    asr=$!
    riva=(-Driva.endpoint="127.0.0.1:$ASR_PORT")
    for _ in $(seq 1 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$ASR_PORT") 2> /dev/null && break
      sleep 0.2
    done
  fi
  "$JAVA" "$@" "${riva[@]}" -Dasr.engine=synthetic -Dserver.port="$PORT" -Dserver.admin-port="$ADMIN_PORT" -Dasr.port=0 -Dsessions.max=20000 \
       -jar "$JAR" serve > "/tmp/earshot-bench-gateway-$PORT.log" 2>&1 &
  gateway=$!
  trap 'kill $gateway $asr 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$ADMIN_PORT/observe/health/live" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the gateway did not start: /tmp/earshot-bench-gateway-$PORT.log" >&2
  exit 1
}

# cpu_seconds PID: CPU time (user + system) a process has used so far
cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / tck }' "/proc/$1/stat"
}

# steal_seconds: CPU time the hypervisor gave to other guests so far, all cores (a shared VM's noise)
steal_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.1f", $9 / tck }' /proc/stat
}

stop_gateway() {
  kill "$gateway" $asr; wait "$gateway" $asr 2>/dev/null || true
  trap - EXIT
}
