package io.refinery.forecasting.model;

import java.util.Map;

/**
 * The standard Theta method of the M3 competition (Assimakopoulos & Nikolopoulos, 2000) as
 * Hyndman & Billah (2003) showed it to be: simple exponential smoothing with a drift of half the
 * linear-trend slope, applied to data deseasonalised by classical multiplicative decomposition when
 * the 90% autocorrelation test finds seasonality. It mirrors R's {@code forecast::thetaf}.
 */
record Theta() implements Forecaster {

    private static final Ets.Spec SIMPLE_SMOOTHING = new Ets.Spec(Ets.Error.ADDITIVE, Ets.Trend.NONE, Ets.Season.NONE);

    @Override
    public String name() {
        return "Theta";
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        Seasonality seasonality = Seasonality.allPositive(history)
            ? Seasonality.detect(history, seasonalPeriod) : Seasonality.none();
        double[] adjusted = seasonality.adjust(history);
        Ets.Model smoothing = Ets.fit(adjusted, 1, SIMPLE_SMOOTHING);
        if (smoothing == null) {
            return new SeasonalNaive().fit(history, 1);
        }
        double halfSlope = slope(adjusted) / 2;
        return new Model(smoothing, seasonality, halfSlope, history.length);
    }

    private static double slope(double[] y) {
        int n = y.length;
        double meanT = (n - 1) / 2.0;
        double meanY = 0;
        for (double v : y) {
            meanY += v / n;
        }
        double covariance = 0;
        double variance = 0;
        for (int t = 0; t < n; t++) {
            covariance += (t - meanT) * (y[t] - meanY);
            variance += (t - meanT) * (t - meanT);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    private record Model(Ets.Model smoothing, Seasonality seasonality, double halfSlope, int length)
        implements FittedModel {

        @Override
        public Provenance provenance() {
            return Provenance.deterministic("Theta", Map.of(
                "alpha", smoothing.parameters().alpha(),
                "drift", halfSlope,
                "seasonal", seasonality.isNone() ? 0.0 : 1.0));
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[] forecast = smoothing.pointForecast(horizon);
            double alpha = Math.max(1e-10, smoothing.parameters().alpha());
            double offset = (1 - Math.pow(1 - alpha, length)) / alpha;
            for (int h = 0; h < horizon; h++) {
                forecast[h] += halfSlope * (h + offset);
            }
            return seasonality.reseasonalise(forecast, length);
        }

        @Override
        public double[] forecastStandardDeviation(int horizon) {
            return seasonality.rescale(smoothing.forecastStandardDeviation(horizon), length);
        }
    }
}
