package io.refinery.forecasting.model;

import java.util.Arrays;
import java.util.Map;

/**
 * Forecasters for intermittent demand, where most periods have no demand: Croston (1972), the
 * Syntetos–Boylan approximation (SBA, Croston with its inversion bias removed) and Teunter–Syntetos–
 * Babai (TSB, which updates the demand probability every period so that obsolete items fade out).
 *
 * @param variant which of the three methods
 * @param alpha   smoothing weight of demand sizes (and of inter-demand intervals for Croston/SBA), in (0, 1]
 * @param beta    smoothing weight of the demand probability (TSB only), in (0, 1]
 */
record Intermittent(Variant variant, double alpha, double beta) implements Forecaster {

    enum Variant { CROSTON, SBA, TSB }

    /** Syntetos & Boylan's cut-off on the average inter-demand interval above which demand counts as intermittent. */
    private static final double INTERMITTENT_ADI = 1.32;

    Intermittent {
        requireWeight("alpha", alpha);
        requireWeight("beta", beta);
    }

    private static void requireWeight(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1]: " + value);
        }
    }

    /** Non-negative with at least two demands and an average inter-demand interval (ADI) of at least 1.32. */
    static boolean isIntermittent(double[] y) {
        int demands = 0;
        for (double v : y) {
            if (v < 0) {
                return false;
            }
            if (v > 0) {
                demands++;
            }
        }
        return demands >= 2 && (double) y.length / demands >= INTERMITTENT_ADI;
    }

    @Override
    public String name() {
        return switch (variant) {
            case CROSTON -> "Croston";
            case SBA -> "SBA";
            case TSB -> "TSB";
        };
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        double size = Double.NaN;
        double interval = Double.NaN;
        double probability = 0;
        int demands = 0;
        double demandTotal = 0;
        for (double v : history) {
            if (v > 0) {
                demands++;
                demandTotal += v;
            }
        }
        if (demands == 0) {
            return new Model(name(), this, 0, 0);
        }
        // TSB starts from the overall demand rate and mean size; Croston from the first demand, like R's croston
        if (variant == Variant.TSB) {
            size = demandTotal / demands;
            probability = (double) demands / history.length;
        }
        int sinceLastDemand = 0;
        double sumSquares = 0;
        int errors = 0;
        for (double v : history) {
            sinceLastDemand++;
            double forecast = current(size, interval, probability);
            if (Double.isFinite(forecast)) {
                sumSquares += (v - forecast) * (v - forecast);
                errors++;
            }
            if (variant == Variant.TSB) {
                probability += beta * ((v > 0 ? 1 : 0) - probability);
            }
            if (v > 0) {
                if (Double.isNaN(size)) {
                    size = v;
                    interval = sinceLastDemand;
                } else {
                    size += alpha * (v - size);
                    if (variant != Variant.TSB) {
                        interval += alpha * (sinceLastDemand - interval);
                    }
                }
                sinceLastDemand = 0;
            }
        }
        double sigma = errors == 0 ? 0 : Math.sqrt(sumSquares / errors);
        return new Model(name(), this, current(size, interval, probability), sigma);
    }

    private double current(double size, double interval, double probability) {
        return switch (variant) {
            case CROSTON -> size / interval;
            case SBA -> (1 - alpha / 2) * size / interval;
            case TSB -> probability * size;
        };
    }

    /** Flat forecast of the demand rate; the spread is the in-sample one-step error, which dominates at every step. */
    private record Model(String name, Intermittent config, double rate, double sigma) implements FittedModel {

        @Override
        public Provenance provenance() {
            return Provenance.deterministic(name, config.variant == Variant.TSB
                ? Map.of("alpha", config.alpha, "beta", config.beta, "rate", rate, "sigma", sigma)
                : Map.of("alpha", config.alpha, "rate", rate, "sigma", sigma));
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[] forecast = new double[horizon];
            Arrays.fill(forecast, rate);
            return forecast;
        }

        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            Arrays.fill(sd, sigma);
            return sd;
        }

        @Override
        public double floor() {
            return 0;
        }
    }
}
