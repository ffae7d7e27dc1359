package io.refinery.forecasting.leadtime;

/**
 * The lead times (days) a lane normally shows: P5 to P95 of its recent receipts before the one
 * scored. {@code basedOnReceipts} is 0 (and the bounds NaN) for a lane and supplier never seen.
 */
public record LeadTimeRange(double p5Days, double p95Days, int basedOnReceipts) {
}
