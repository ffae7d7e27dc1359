package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastPoint;
import io.refinery.forecasting.Grain;
import io.refinery.warehouse.forecast.ForecastRows.ForecastRow;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bottom-up reconciliation: SKU, location and total forecasts are sums of the sku × location
 * medians, so every level adds up. Their intervals combine the cells' spreads as independent
 * errors (variances add), which keeps aggregate intervals narrower than summed quantiles would.
 */
final class Hierarchy {

    private static final double Z90 = 1.2815515655446004;

    private final int horizon;
    private final Map<String, double[][]> sums = new TreeMap<>();

    Hierarchy(int horizon) {
        this.horizon = horizon;
    }

    void add(String sku, String location, double[] p10, double[] p50, double[] p90) {
        for (String key : List.of(sku + "\u0000" + ForecastPoint.ALL, ForecastPoint.ALL + "\u0000" + location,
                ForecastPoint.ALL + "\u0000" + ForecastPoint.ALL)) {
            double[][] acc = sums.computeIfAbsent(key, k -> new double[2][horizon]);
            for (int h = 0; h < horizon; h++) {
                double median = Math.max(0, p50[h]);
                double sd = Math.max(0, Math.max(p90[h], median) - Math.min(p10[h], median)) / (2 * Z90);
                acc[0][h] += median;
                acc[1][h] += sd * sd;
            }
        }
    }

    List<ForecastRow> rows(Grain grain, LocalDate lastPeriod) {
        List<ForecastRow> rows = new ArrayList<>();
        sums.forEach((key, acc) -> {
            String[] parts = key.split("\u0000", 2);
            for (int h = 0; h < horizon; h++) {
                double sd = Math.sqrt(acc[1][h]);
                rows.add(new ForecastRow(parts[0], parts[1], SeriesTable.plus(grain, lastPeriod, h + 1),
                        Math.max(0, acc[0][h] - Z90 * sd), acc[0][h], acc[0][h] + Z90 * sd, "bottom-up"));
            }
        });
        return rows;
    }
}
