package io.refinery.forecasting.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The M4 competition's Naive2 benchmark: the last value of the seasonally adjusted series (classical
 * multiplicative decomposition when the 90% autocorrelation test finds seasonality), reseasonalised.
 * OWA is defined relative to this method.
 */
record Naive2() implements Forecaster {

    @Override
    public String name() {
        return "Naive2";
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        Seasonality seasonality = Seasonality.allPositive(history)
            ? Seasonality.detect(history, seasonalPeriod) : Seasonality.none();
        double[] adjusted = seasonality.adjust(history);
        double sumSquares = 0;
        for (int t = 1; t < adjusted.length; t++) {
            sumSquares += (adjusted[t] - adjusted[t - 1]) * (adjusted[t] - adjusted[t - 1]);
        }
        double sigma = adjusted.length > 1 ? Math.sqrt(sumSquares / (adjusted.length - 1)) : 0;
        return new Model(adjusted[adjusted.length - 1], sigma, seasonality, history.length);
    }

    private record Model(double last, double sigma, Seasonality seasonality, int length) implements FittedModel {

        @Override
        public Provenance provenance() {
            return Provenance.deterministic("Naive2", Map.of("sigma", sigma, "seasonal", seasonality.isNone() ? 0.0 : 1.0));
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[] flat = new double[horizon];
            Arrays.fill(flat, last);
            return seasonality.reseasonalise(flat, length);
        }

        /** A random walk's error variance grows linearly with the horizon. */
        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                sd[h] = sigma * Math.sqrt(h + 1);
            }
            return seasonality.rescale(sd, length);
        }
    }
}
