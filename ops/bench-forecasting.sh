#!/usr/bin/env bash
# Forecasting benchmark: our model zoo vs R's forecast package on M3 monthly (or another file in the
# same long format: series,category,horizon,month,value). Prints a Markdown table.
# Usage: ops/bench-forecasting.sh [csv] [seasonal-period]
# The benchmark main is compiled on its own with javac so that a half-finished change elsewhere in the
# ops module cannot block it; forecasting is built and installed with Maven as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CSV=${1:-../shared/datasets/m3-monthly.csv}
PERIOD=${2:-12}
CLASSES=ops/target/bench-forecasting-classes

mvn -B -q -o -pl forecasting install -DskipTests >&2
mvn -B -q -o -pl ops dependency:build-classpath -Dmdep.outputFile="$PWD/ops/target/bench-forecasting.classpath" >&2
CLASSPATH_DEPS=$(cat ops/target/bench-forecasting.classpath)
rm -rf "$CLASSES" && mkdir -p "$CLASSES"
"$JAVA_HOME/bin/javac" -d "$CLASSES" -cp "$CLASSPATH_DEPS" $(find ops/src/main/java/io/refinery/ops/bench/forecasting -name '*.java')

if ! Rscript -e 'suppressPackageStartupMessages(library(forecast))' >/dev/null 2>&1; then
  echo "R forecast package missing: apt-get update && apt-get install -y r-cran-forecast" >&2
  exit 1
fi

echo "## Forecasting benchmark: $(basename "$CSV"), seasonal period $PERIOD"
echo
echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM"
echo "- $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(Rscript --version 2>&1 | head -1); forecast $(Rscript -e 'cat(as.character(packageVersion("forecast")))')"
echo "- sMAPE: M3 definition 200|y-f|/(|y|+|f|), averaged over h=1..horizon then over series. MASE: scaled by the"
echo "  in-sample seasonal-naive (lag $PERIOD) MAE. OWA: mean of sMAPE and MASE relative to Naive2 (M4 definition:"
echo "  naive on data deseasonalised by classical multiplicative decomposition when the 90% ACF test finds seasonality)."
echo "  WAPE/bias pooled over all points; coverage = share of actuals inside P10-P90 (target 80%)."
echo "  Java runs on all cores; R runs single-threaded, as the forecast package does."
echo
echo "| Method | sMAPE | MASE | OWA | WAPE % | Bias % | P10–P90 coverage | Series/s |"
echo "|---|---|---|---|---|---|---|---|"
JAVA_ROWS=$("$JAVA_HOME/bin/java" -cp "$CLASSES:$CLASSPATH_DEPS" io.refinery.ops.bench.forecasting.M3Benchmark "$CSV" "$PERIOD")
echo "$JAVA_ROWS"
NAIVE2=$(echo "$JAVA_ROWS" | awk -F'|' '$2 ~ / Naive2 /{gsub(/ /,"",$3); gsub(/ /,"",$4); print $3, $4}')
Rscript ops/benchmarks/r-forecast-baseline.R "$CSV" "$PERIOD" $NAIVE2
