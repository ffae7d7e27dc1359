#!/usr/bin/env bash
# Forecasting benchmarks. Prints Markdown with the machine and its load beside the figures.
#
#   ops/bench forecasting [csv] [seasonal-period]
#     Our model zoo vs R's forecast package (ets, auto.arima, thetaf) on M3 monthly (or another file in
#     the same long format: series,category,horizon,month,value), last `horizon` points held out.
#     R runs on the same cores as Java (parallel::mclapply, R_CORES). auto.arima is the slow one
#     (~2 CPU-seconds a series): ARIMA_STRIDE=k scores it, and our methods beside it, on every k-th
#     series only; the rows then say so. Default 1 = all series.
#   ops/bench forecasting --series 10000 [--days 730]
#     Scale run: generates demo-like daily series into the embedded warehouse, then times a full
#     forecast run end to end (read served demand -> select/fit -> write forecasts with intervals).
#
# Everything is built in the reactor into target-bench (nothing is installed into ~/.m2).
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/lib/env.sh
TARGET=target-bench
CLASSPATH_FILE="$PWD/ops/$TARGET/bench-forecasting.classpath"

# one invocation, so the reactor resolves sibling modules to the jars it just built in target-bench;
# every module writes the classpath file and ops, built last, writes it last
"${MVN[@]}" -q -o -Drefinery.target=$TARGET -pl ops -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2
CP="ops/$TARGET/classes:$(cat "$CLASSPATH_FILE")"
JAVA="$JAVA_HOME/bin/java"

machine() {
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM; load at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
}

if [ "${1:-}" = "--series" ]; then
  echo "## Forecasting scale benchmark: full run on the embedded warehouse"
  echo
  machine
  exec "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx6g -cp "$CP" io.refinery.ops.bench.forecasting.ScaleBenchmark "$@"
fi

CSV=${1:-../shared/datasets/m3-monthly.csv}
PERIOD=${2:-12}
ARIMA_STRIDE=${ARIMA_STRIDE:-1}
R_CORES=${R_CORES:-$(nproc)}
export R_CORES

if ! Rscript -e 'suppressPackageStartupMessages(library(forecast))' >/dev/null 2>&1; then
  # Debian packages R's forecast; install it on a fresh machine (root, or through sudo when there).
  echo "R forecast package missing: installing r-cran-forecast with apt" >&2
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends r-cran-forecast >&2
fi

echo "## Forecasting benchmark: $(basename "$CSV"), seasonal period $PERIOD"
echo
machine
echo "- $("$JAVA" -version 2>&1 | head -1); $(Rscript --version 2>&1 | head -1); forecast $(Rscript -e 'cat(as.character(packageVersion("forecast")))')"
echo "- sMAPE: M3 definition 200|y-f|/(|y|+|f|), averaged over h=1..horizon then over series. MASE: scaled by the"
echo "  in-sample seasonal-naive (lag $PERIOD) MAE. OWA: mean of sMAPE and MASE relative to Naive2 (M4 definition:"
echo "  naive on data deseasonalised by classical multiplicative decomposition when the 90% ACF test finds seasonality)."
echo "  WAPE/bias pooled over all points; coverage = share of actuals inside P10-P90 (target 80%)."
echo "  Java runs on all $(nproc) cores; R on $R_CORES processes (parallel::mclapply). Series/s is wall-clock."
echo
echo "| Method | sMAPE | MASE | OWA | WAPE % | Bias % | P10–P90 coverage | Series/s |"
echo "|---|---|---|---|---|---|---|---|"
JAVA_ROWS=$("$JAVA" -cp "$CP" io.refinery.ops.bench.forecasting.M3Benchmark "$CSV" "$PERIOD")
echo "$JAVA_ROWS"
naive2() { echo "$1" | awk -F'|' '$2 ~ / Naive2/{gsub(/ /,"",$3); gsub(/ /,"",$4); print $3, $4}'; }
if [ "$ARIMA_STRIDE" = 1 ]; then
  Rscript ops/benchmarks/r-forecast-baseline.R "$CSV" "$PERIOD" $(naive2 "$JAVA_ROWS") ets,auto.arima,thetaf
  "$JAVA" -cp "$CP" io.refinery.ops.bench.forecasting.M3Benchmark "$CSV" "$PERIOD" RunProcedure
else
  Rscript ops/benchmarks/r-forecast-baseline.R "$CSV" "$PERIOD" $(naive2 "$JAVA_ROWS") ets,thetaf
  SUBSET_ROWS=$("$JAVA" -cp "$CP" io.refinery.ops.bench.forecasting.M3Benchmark "$CSV" "$PERIOD" \
      Naive2,ETS,Theta,Arima,Combination,Combination+ARIMA,Auto,RunProcedure --stride "$ARIMA_STRIDE")
  echo "$SUBSET_ROWS"
  Rscript ops/benchmarks/r-forecast-baseline.R "$CSV" "$PERIOD" $(naive2 "$SUBSET_ROWS") "auto.arima:$ARIMA_STRIDE,ets:$ARIMA_STRIDE"
fi
echo
echo "- Load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
