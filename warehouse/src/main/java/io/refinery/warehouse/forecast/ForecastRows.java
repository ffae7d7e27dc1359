package io.refinery.warehouse.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Rows of the forecasting tables, as stored. */
public final class ForecastRows {

    private ForecastRows() {
    }

    /**
     * Demand of one series in one period (the period's first day) and the revenue it brought, so that
     * the average selling price (revenue / quantity) can feed price features.
     */
    public record DemandCell(String sku, String location, LocalDate period, double quantity, double revenue) {
    }

    /** The served demand as of a point: newest refresh version and time. */
    public record DemandSnapshot(Instant asOf, long version) {
    }

    public record RunRow(String runId, String status, double progress, String trigger, String requestedBy,
                         String grain, int horizon, String scopeKey, List<String> skus, List<String> locations,
                         List<String> categories, Instant startedAt, Instant finishedAt, long durationMillis,
                         Double mase, Double smape, Double wape, Double bias, Double coverage, int series,
                         Instant dataAsOf, long dataVersion, long seriesRead, String codeVersion,
                         Map<String, Long> modelsChosen, String trainerProvenance, String message) {
    }

    public record ForecastRow(String sku, String location, LocalDate period, double p10, double p50, double p90,
                              String model) {
    }

    public record SeriesAccuracyRow(String sku, String location, String model, double mase, double smape, double wape,
                                    double bias, double coverage) {
    }

    /** A PO line's lead time as served, for training and scoring anomaly models. */
    public record LeadTimeRow(String poLineId, String supplier, String sku, String location, double orderedQuantity,
                              Instant orderedAt, LocalDate promisedDate, Instant firstReceivedAt, double leadTimeDays,
                              double delayDays) {
    }

    /** Filters on anomaly flags; null = any. */
    public record AnomalyFilter(String poLineId, String supplier, String sku, String location, Instant receivedFrom,
                                Instant receivedTo, Boolean acknowledged) {
    }

    public record AnomalyRow(String poLineId, String supplier, String sku, String location, Instant orderedAt,
                             LocalDate promisedDate, Instant receivedAt, double leadTimeDays, double delayDays,
                             double score, double expectedLowDays, double expectedHighDays, Map<String, Double> drivers,
                             String modelVersion, Instant flaggedAt, boolean acknowledged, String acknowledgedBy) {
    }
}
