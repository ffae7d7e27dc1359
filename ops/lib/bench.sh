#!/usr/bin/env bash
# Benchmarks, reported with the machine and the comparison run beside them:
#   ops/bench warehouse    JDBC/client-v2 through the embedded endpoint vs. chDB called directly
#   ops/bench forecasting  our forecaster vs. R's forecast package on M3 monthly (needs ../shared)
#   ops/bench ingestion    CSV and MQTT ingestion vs. the engine's own file() insert
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REFINERY_ROOT"
area="${1:-}"; shift || true
case "$area" in
  warehouse)
    "${MVN[@]}" -q install -DskipTests -pl ops -am
    cp=$("${MVN[@]}" -q -pl ops dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
    exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx6g -cp "ops/target/classes:$cp" \
      io.refinery.ops.bench.warehouse.WarehouseBenchmark "$@" ;;
  forecasting) exec bash ops/bench-forecasting.sh "$@" ;;
  ingestion) exec bash ops/bench-ingestion.sh "$@" ;;
  *) echo "usage: ops/bench warehouse|forecasting|ingestion" >&2; exit 2 ;;
esac
