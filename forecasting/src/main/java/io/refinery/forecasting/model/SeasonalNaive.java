package io.refinery.forecasting.model;

import java.util.Map;

/** Repeats the last observed season; with period 1 it is the random-walk (naive) forecast. */
record SeasonalNaive() implements Forecaster {

    @Override
    public String name() {
        return "SeasonalNaive";
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        int m = history.length > seasonalPeriod ? Math.max(1, seasonalPeriod) : 1;
        double sumSquares = 0;
        int count = 0;
        for (int t = m; t < history.length; t++) {
            double error = history[t] - history[t - m];
            sumSquares += error * error;
            count++;
        }
        double sigma = count == 0 ? 0 : Math.sqrt(sumSquares / count);
        return new Model(history.clone(), m, sigma);
    }

    private record Model(double[] history, int period, double sigma) implements FittedModel {

        @Override
        public Provenance provenance() {
            return Provenance.deterministic("SeasonalNaive", Map.of("period", (double) period, "sigma", sigma));
        }

        @Override
        public double[] pointForecast(int horizon) {
            int n = history.length;
            double[] forecast = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                forecast[h] = history[n - period + h % period];
            }
            return forecast;
        }

        /** Each further full season adds one more independent seasonal-difference error. */
        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                sd[h] = sigma * Math.sqrt(h / period + 1);
            }
            return sd;
        }
    }
}
