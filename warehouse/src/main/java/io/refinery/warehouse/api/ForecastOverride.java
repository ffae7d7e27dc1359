package io.refinery.warehouse.api;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A planner's final value for one forecast cell, beside the statistical value of the run overridden.
 * {@code runId} is the run the planner changed: for an override carried over it is an earlier run.
 */
public record ForecastOverride(String runId, String sku, String location, LocalDate period, double statistical,
                               double value, String reason, String overriddenBy, Instant overriddenAt) {
}
