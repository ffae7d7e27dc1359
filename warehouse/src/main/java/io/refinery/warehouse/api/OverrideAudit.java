package io.refinery.warehouse.api;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One change of a forecast cell: who, when, from what to what, and why; {@code runId} is the run the
 * planner changed, {@code cleared} marks a clear (back to the statistical value, carry-over ended).
 */
public record OverrideAudit(String runId, String sku, String location, LocalDate period, double oldValue,
                           double newValue, double statistical, String reason, String actor, Instant at,
                           boolean cleared) {
}
