package io.refinery.forecasting.model;

/**
 * Fits a univariate model to one series (oldest value first) with a seasonal period
 * ({@code 1} for none, {@code 12} for monthly data with a yearly cycle, ...). Implementations are
 * stateless and thread-safe, so one forecaster may fit many series in parallel.
 */
public interface Forecaster {

    /** Short name used in provenance and benchmark reports. */
    String name();

    FittedModel fit(double[] history, int seasonalPeriod);
}
