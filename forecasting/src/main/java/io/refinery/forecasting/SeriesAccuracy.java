package io.refinery.forecasting;

/** Backtest accuracy of the model chosen for one series. */
public record SeriesAccuracy(String sku, String location, String model, double mase, double smape, double wape,
                             double bias, double coverageP10P90) {
}
