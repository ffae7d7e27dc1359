# R forecast-package baselines for ops/bench-forecasting.sh, scored exactly like M3Benchmark.java:
# sMAPE (M3 definition, percent), MASE (seasonal-naive scale on the training part), OWA against the
# Naive2 sMAPE/MASE measured by the Java run, WAPE, bias, P10-P90 (80%) interval coverage, series/s.
# Usage: Rscript r-forecast-baseline.R <csv> <period> <naive2-smape> <naive2-mase> [method[:stride],...]
# A stride k scores only every k-th series (file order, the first included), the same subset
# M3Benchmark scores with --stride k; the row names the subset so it is never mistaken for the full set.
# Series are spread over R_CORES processes with parallel::mclapply (default: every core), so R gets the
# same cores as the Java run; series/s is wall-clock over all of them.
suppressPackageStartupMessages({
  library(forecast)
  library(parallel)
})
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]
period <- as.integer(args[2])
naive2_smape <- as.numeric(args[3])
naive2_mase <- as.numeric(args[4])
methods <- if (length(args) >= 5) strsplit(args[5], ",")[[1]] else c("ets", "auto.arima", "thetaf")
cores <- as.integer(Sys.getenv("R_CORES", as.character(detectCores())))

data <- read.csv(csv, stringsAsFactors = FALSE)
ids <- unique(data$series)
series <- lapply(split(data, factor(data$series, levels = ids)), function(rows) {
  rows <- rows[order(rows$month), ]
  cut <- nrow(rows) - rows$horizon[1]
  list(train = rows$value[1:cut], test = rows$value[(cut + 1):nrow(rows)])
})

forecasters <- list(
  ets = function(y, h) forecast(ets(y), h = h, level = 80),
  auto.arima = function(y, h) forecast(auto.arima(y), h = h, level = 80),
  thetaf = function(y, h) thetaf(y, h = h, level = 80)
)

score <- function(s, fc) {
  y <- s$test
  f <- as.numeric(fc$mean)
  lo <- as.numeric(fc$lower[, 1])
  hi <- as.numeric(fc$upper[, 1])
  scale <- mean(abs(diff(s$train, lag = period)))
  if (!is.finite(scale) || scale == 0) scale <- 1
  c(smape = mean(ifelse(abs(y) + abs(f) == 0, 0, 200 * abs(y - f) / (abs(y) + abs(f)))),
    mase = mean(abs(y - f)) / scale,
    abs_error = sum(abs(y - f)), signed_error = sum(f - y), abs_actual = sum(abs(y)),
    covered = sum(y >= lo & y <= hi), points = length(y))
}

for (spec in methods) {
  parts <- strsplit(spec, ":")[[1]]
  method <- parts[1]
  stride <- if (length(parts) > 1) as.integer(parts[2]) else 1L
  subset <- series[seq(1, length(series), by = stride)]
  started <- Sys.time()
  scores <- do.call(rbind, mclapply(subset, function(s) {
    y <- ts(s$train, frequency = period)
    score(s, forecasters[[method]](y, length(s$test)))
  }, mc.cores = cores, mc.preschedule = FALSE))
  seconds <- as.numeric(difftime(Sys.time(), started, units = "secs"))
  smape <- mean(scores[, "smape"])
  mase <- mean(scores[, "mase"])
  label <- if (stride == 1) method else sprintf("%s (every %dth series: %d of %d)", method, stride, length(subset), length(series))
  cat(sprintf("| R forecast::%s | %.2f | %.3f | %.3f | %.2f | %+.2f | %.1f%% | %.1f |\n",
              label, smape, mase, 0.5 * (smape / naive2_smape + mase / naive2_mase),
              100 * sum(scores[, "abs_error"]) / sum(scores[, "abs_actual"]),
              100 * sum(scores[, "signed_error"]) / sum(scores[, "abs_actual"]),
              100 * sum(scores[, "covered"]) / sum(scores[, "points"]),
              length(subset) / seconds))
}
