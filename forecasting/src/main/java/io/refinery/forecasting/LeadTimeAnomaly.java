package io.refinery.forecasting;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A receipt whose lead time the Isolation Forest flagged: its score (higher = more anomalous),
 * the lane's expected lead-time range, and how much each feature drove the flag.
 */
public record LeadTimeAnomaly(String poLineId, String supplier, String sku, String location, Instant orderedAt,
                              LocalDate promisedDate, Instant receivedAt, double leadTimeDays, double delayDays,
                              double score, double expectedLowDays, double expectedHighDays,
                              Map<String, Double> drivers, String modelVersion, Instant flaggedAt,
                              boolean acknowledged, String acknowledgedBy) {
}
