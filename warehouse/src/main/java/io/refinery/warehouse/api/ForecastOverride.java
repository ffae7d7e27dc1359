package io.refinery.warehouse.api;

import java.time.Instant;
import java.time.LocalDate;

/** A planner's final value for one forecast cell of a run, beside the run's statistical value. */
public record ForecastOverride(String runId, String sku, String location, LocalDate period, double statistical,
                               double value, String reason, String overriddenBy, Instant overriddenAt) {
}
