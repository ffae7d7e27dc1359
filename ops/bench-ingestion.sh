#!/usr/bin/env bash
# Ingestion benchmark (not a test). Builds warehouse + ingestion-routes + ops into target-bench, then:
#  1. a LINES-line sales CSV dropped into a running file-drop route, timed from the drop to its move to
#     done/ and to its last line queryable in cleaned (after a warm-up file of as many other lines, up to 5 M),
#     ROUTE_RUNS=3 files of as many lines, each right after the engine's own INSERT … SELECT FROM file() of the
#     first file (target: ≥ 50 % of it): the route's best against the engine's best of these and of three runs
#     in a row before them, and the median of the pairs' ratios;
#  2. MESSAGES MQTT readings from a separate publisher JVM at RATE msg/s, after a 15 s warm-up at the same
#     rate that is reported on its own (target: ≥ 20 k msg/s,
#     0 loss, p99 publish → queryable < 1 s), through a private Mosquitto when the binary exists
#     (its in-flight and queue limits lifted for the run), else the broker at BROKER.
# Usage: ops/bench-ingestion.sh   (env: LINES=5000000 MESSAGES=600000 RATE=20000 BATCH=100000 ENGINE_CEILING=true
#        MQTT_MAX_DELAY_MS=400: how long the MQTT route collects a micro-batch at most (the route kind's default is
#        200 ms; at 20 k msg/s 400 ms halves the statements and parts per message and keeps p99 under 1 s); BATCH is the
#        routes' batch size: the record path's chunks; the engine lane's blocks are 1 M rows unless it is larger)
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$(dirname "$0")/.."
LINES=${LINES:-5000000}
MESSAGES=${MESSAGES:-600000}
RATE=${RATE:-20000}
BATCH=${BATCH:-100000}
TARGET=target-bench
WORK=${WORK:-$PWD/ops/$TARGET/ingestion}
mkdir -p "$WORK"

mvn -B -q -o -Drefinery.target=$TARGET -pl warehouse,ingestion-routes install -Dmaven.test.skip=true
mvn -B -q -o -Drefinery.target=$TARGET -pl ops compile dependency:build-classpath \
    -Dmdep.outputFile=$TARGET/classpath.txt
CP="ops/$TARGET/classes:$(cat ops/$TARGET/classpath.txt)"
JAVA="$JAVA_HOME/bin/java"

BROKER=${BROKER:-tcp://127.0.0.1:1883}
MOSQUITTO_PID=
if command -v mosquitto >/dev/null 2>&1 && [ -z "${KEEP_BROKER:-}" ]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 0
max_queued_messages 0
CONF
  mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
  MOSQUITTO_PID=$!
  trap '[ -n "$MOSQUITTO_PID" ] && kill $MOSQUITTO_PID 2>/dev/null || true' EXIT
  BROKER=tcp://127.0.0.1:$PORT
  sleep 1
fi

# BENCH_JAVA_OPTS: extra options for the ingesting JVM only, e.g. a flight recording
"$JAVA" --enable-native-access=ALL-UNNAMED -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.refinery.ops.bench.ingestion.IngestionBenchmark \
    --dir "$WORK" --lines "$LINES" --messages "$MESSAGES" --rate "$RATE" --batch "$BATCH" --engine-ceiling "${ENGINE_CEILING:-true}" --route-runs "${ROUTE_RUNS:-3}" --broker "$BROKER" --broker-pid "${MOSQUITTO_PID:--1}" \
    --mqtt-max-delay-ms "${MQTT_MAX_DELAY_MS:-400}" \
    --publisher "$JAVA -Xmx512m -cp $CP io.refinery.ops.bench.ingestion.MqttBenchPublisher"
