package io.refinery.warehouse.quality;

import java.time.Instant;

/** One stored outcome of one check in one run (table {@code quality_results}). */
public record QualityResultRow(String runId, String table, String check, String kind, String column, int specVersion,
                               String severity, String status, String observed, Double observedValue, String expected,
                               String message, Instant checkedAt, long durationMillis) {
}
