package io.refinery.forecasting;

/**
 * Backtest accuracy of a run over all its series (rolling-origin, several origins): MASE, sMAPE
 * (percent), WAPE (percent), bias (mean error relative to mean actual) and the empirical coverage of
 * the P10–P90 interval (nominal 0.8).
 */
public record RunAccuracy(double mase, double smape, double wape, double bias, double coverageP10P90, int series) {
}
