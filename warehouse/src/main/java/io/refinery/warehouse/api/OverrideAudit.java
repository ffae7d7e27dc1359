package io.refinery.warehouse.api;

import java.time.Instant;
import java.time.LocalDate;

/** One change of a forecast cell: who, when, from what to what, and why. */
public record OverrideAudit(String runId, String sku, String location, LocalDate period, double oldValue,
                           double newValue, double statistical, String reason, String actor, Instant at) {
}
