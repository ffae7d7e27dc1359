#!/usr/bin/env bash
# Dashboard benchmarks in the system Chromium (Playwright for Java, never a downloaded browser) against the app
# with demo data flowing:
#   ops/bench dashboard [loads]          first chart per page, p50/p95 over N loads (default 20) warm, N/2 cold
#   ops/bench dashboard-soak [minutes]   the overview left open (default 60): JS heap, DOM nodes, listeners,
#                                        EventSources in the page and SSE clients on the server, first vs last, slope
# Starts the app on a fresh data directory with the demo feed (history first, then live slices) unless
# REFINERY_BENCH_URL points at a running one (then REFINERY_BENCH_USER/REFINERY_BENCH_PASSWORD sign in).
# Environment: REFINERY_BENCH_PORT (18090), REFINERY_BENCH_HISTORY_DAYS (730, the demo's default), REFINERY_BENCH_BUILD=1,
# REFINERY_BENCH_WAIT_LIVE (1800: polls of 2 s for the live feed; 0 measures while the history still loads).
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"
cd "$REFINERY_ROOT"
MODE=${1:-load}; shift || true
[ -x /usr/bin/chromium ] || { echo "needs the system Chromium: apt-get install -y chromium" >&2; exit 1; }
TARGET=${REFINERY_BENCH_TARGET:-target-dash}
PORT=${REFINERY_BENCH_PORT:-18090}
WORK=$(mktemp -d /tmp/refinery-bench-dashboard.XXXXXX)
APP=""
trap '[ -n "$APP" ] && { kill $APP 2>/dev/null; wait $APP 2>/dev/null; }; rm -rf "$WORK"; true' EXIT

if [ -n "${REFINERY_BENCH_URL:-}" ]; then
  BASE=$REFINERY_BENCH_URL; USER=${REFINERY_BENCH_USER:-admin}; PASSWORD=${REFINERY_BENCH_PASSWORD:?set REFINERY_BENCH_PASSWORD}
else
  JAR=api/$TARGET/api-0.1.0-SNAPSHOT.jar
  if [ ! -f "$JAR" ] || [ -n "${REFINERY_BENCH_BUILD:-}" ]; then
    "${MVN[@]}" -q -o -Drefinery.target="$TARGET" -pl api -am package -DskipTests >&2
  fi
  BASE="http://localhost:$PORT"; USER=admin
  PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  echo "[bench] starting Refinery with the demo feed on :$PORT, data in $WORK" >&2
  REFINERY_DATA_DIR="$WORK/data" REFINERY_DEMO=true REFINERY_ADMIN_PASSWORD="$PASSWORD" SERVER_PORT=$PORT \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx3g -jar "$JAR" \
    --refinery.demo.history-days="${REFINERY_BENCH_HISTORY_DAYS:-730}" --logging.level.root=WARN >"$WORK/app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 300); do
    curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break
    kill -0 $APP 2>/dev/null || { echo "[bench] the app did not start:" >&2; tail -30 "$WORK/app.log" >&2; exit 1; }
    sleep 1
  done
fi
AUTH=(-u "$USER:$PASSWORD")
# The demo loads its history first and then feeds live slices: measure once the live route delivers.
echo "[bench] waiting for the demo history to land and the live feed to start" >&2
for _ in $(seq 1 "${REFINERY_BENCH_WAIT_LIVE:-1800}"); do
  curl -fs "${AUTH[@]}" "$BASE/api/v1/pipeline" 2>/dev/null | grep -q '"routeId":"demo-live"' && break
  sleep 2
done
ROWS=$(curl -fs -m 120 "${AUTH[@]}" "$BASE/odata/v4/DemandDaily/\$count" || echo "?")

"${MVN[@]}" -q -o -f ops/benchmarks/dashboard/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
CP=$(cat "$WORK/cp.txt")
machine() {
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, load $1: $(cut -d' ' -f1-3 /proc/loadavg)"
}
BENCH=(java -Xmx512m -cp "$CP" ops/benchmarks/dashboard/DashboardBench.java)
case "$MODE" in
  load)
    LOADS=${1:-20}
    FIRST=$(curl -fs "${AUTH[@]}" "$BASE/api/v1/demand?limit=1&from=$(date -u -d '30 days ago' +%F)" || echo "[]")
    SKU=$(echo "$FIRST" | sed -n 's/.*"sku":"\([^"]*\)".*/\1/p'); LOC=$(echo "$FIRST" | sed -n 's/.*"location":"\([^"]*\)".*/\1/p')
    RUN=$(curl -fs "${AUTH[@]}" "$BASE/api/v1/forecast-runs?limit=1" | sed -n 's/.*"runId":"\([^"]*\)".*/\1/p' | head -1 || true)
    PAGES=(overview anomalies)
    [ -n "$SKU" ] && PAGES+=("demand?sku=$SKU&location=$LOC&grain=week")
    [ -n "$RUN" ] && PAGES+=("runs/$RUN")
    echo "## Dashboard: first chart after navigation start (system Chromium, headless, 1280×720)"
    echo
    machine "before"
    echo "- $(/usr/bin/chromium --version 2>/dev/null | head -1); app: $(java -version 2>&1 | head -1); embedded chDB; demo data: $ROWS demand_daily rows"
    echo "- warm = a new tab in a signed-in browser (HTTP cache as after a first visit), after one unmeasured load; cold = a new browser context each time"
    echo
    "${BENCH[@]}" load "$BASE" "$USER" "$PASSWORD" "$LOADS" "${PAGES[@]}"
    echo
    machine "after"
    echo "- Target (issue 6): first chart < 1.5 s on the demo data. Comparison: session 1 measured 1.5–5.7 s for the overview."
    ;;
  soak)
    MINUTES=${1:-60}
    echo "## Dashboard soak: the overview open for $MINUTES min with the demo feed flowing (system Chromium, headless)"
    echo
    machine "before"
    echo "- demo data: $ROWS demand_daily rows; a sample every 30 s; heap after a forced GC (CDP HeapProfiler.collectGarbage)"
    echo
    "${BENCH[@]}" soak "$BASE" "$USER" "$PASSWORD" "$MINUTES"
    echo
    machine "after"
    echo "- Pass: heap, DOM nodes and listeners flat (slope ≈ 0 after warm-up), exactly one EventSource in the page and one SSE client on the server."
    ;;
  *) echo "usage: ops/bench dashboard [loads] | ops/bench dashboard-soak [minutes]" >&2; exit 2 ;;
esac
