package io.refinery.forecasting.model;

/** A model fitted to one series; forecasts start right after the last observation. */
public interface FittedModel {

    Provenance provenance();

    /** Point forecasts for steps {@code 1..horizon}. */
    double[] pointForecast(int horizon);

    /** Standard deviation of the forecast error for steps {@code 1..horizon}. */
    double[] forecastStandardDeviation(int horizon);

    /** Lowest value the series can take, e.g. 0 for demand; intervals are truncated there. */
    default double floor() {
        return Double.NEGATIVE_INFINITY;
    }

    /** Point forecasts plus quantiles at {@code levels}, e.g. {@code forecast(18, 0.1, 0.5, 0.9)}. */
    default Forecast forecast(int horizon, double... levels) {
        return Forecast.gaussian(pointForecast(horizon), forecastStandardDeviation(horizon), floor(), levels);
    }
}
