package io.refinery.forecasting.model;

import java.util.Random;

/** Synthetic series with known structure for the model tests. */
final class Series {

    private Series() {
    }

    /** {@code level * (1 + amplitude * sin(2 pi t / period))}: an exact, noise-free multiplicative season. */
    static double[] seasonal(int length, int period, double level, double amplitude) {
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] = level * (1 + amplitude * Math.sin(2 * Math.PI * t / period));
        }
        return y;
    }

    static double[] line(int length, double intercept, double slope) {
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] = intercept + slope * t;
        }
        return y;
    }

    static double[] whiteNoise(int length, double level, double sd, Random random) {
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] = level + sd * random.nextGaussian();
        }
        return y;
    }

    /** Demand in roughly one period out of {@code 1 / probability}, with sizes around {@code size}. */
    static double[] intermittent(int length, double probability, double size, Random random) {
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] = random.nextDouble() < probability ? Math.max(1, Math.round(size + size / 4 * random.nextGaussian())) : 0;
        }
        return y;
    }

    static double maxAbsoluteDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double mean(double[] y) {
        double sum = 0;
        for (double v : y) {
            sum += v;
        }
        return sum / y.length;
    }
}
