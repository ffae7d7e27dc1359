package io.refinery.forecasting;

import java.time.Instant;

/** A forecast run, while it goes and after: progress in [0, 1]. */
public record ForecastRun(String runId, RunStatus status, double progress, String trigger, String requestedBy,
                          ForecastRequest request, Instant startedAt, Instant finishedAt, long durationMillis,
                          RunAccuracy accuracy, RunLineage lineage, String message) {
}
