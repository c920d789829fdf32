# Shared by the bench scripts (sourced): the jar, the JVM, and a local gateway with the
# synthetic recognizer, started in the background and waited for.
JAR=service/target/earshot.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PORT=${PORT:-18080}
URL="ws://127.0.0.1:$PORT/api/v1/transcribe"
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }

# start_gateway JVM_OPTS...: sets $gateway to its pid and stops it when the script exits
start_gateway() {
  "$JAVA" "$@" -Dasr.engine=synthetic -Dserver.port="$PORT" -Dasr.port=0 -Dsessions.max=20000 \
       -jar "$JAR" serve > "/tmp/earshot-bench-gateway-$PORT.log" 2>&1 &
  gateway=$!
  trap 'kill $gateway 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$PORT/observe/health/live" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the gateway did not start: /tmp/earshot-bench-gateway-$PORT.log" >&2
  exit 1
}

stop_gateway() {
  kill "$gateway"; wait "$gateway" 2>/dev/null || true
  trap - EXIT
}
