package io.refinery.forecasting;

import java.time.LocalDate;

/**
 * One forecast cell: sku × location × period (the period's first day). Aggregate levels use
 * {@code "*"} for the summed-over dimension (sku "*" = all SKUs of the location, and so on).
 */
public record ForecastPoint(String runId, String sku, String location, LocalDate period, double p10, double p50,
                            double p90, String model) {

    public static final String ALL = "*";
}
