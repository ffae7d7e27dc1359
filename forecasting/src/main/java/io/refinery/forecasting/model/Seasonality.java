package io.refinery.forecasting.model;

/**
 * Classical seasonal decomposition and the seasonality test used by the M3 Theta method and by the M4
 * Naive2 benchmark: a series is called seasonal when its autocorrelation at the seasonal lag is
 * significant at 90% (one-sided) against Bartlett's standard error.
 *
 * @param indices        seasonal index per position {@code t mod period} of the input series
 * @param multiplicative whether indices are ratios (strictly positive data) or additive offsets
 */
record Seasonality(double[] indices, boolean multiplicative) {

    private static final double CRITICAL_VALUE_90 = 1.6448536269514722;

    /** No seasonal adjustment at all. */
    static Seasonality none() {
        return new Seasonality(new double[] {1.0}, true);
    }

    /** Decomposes when the test finds seasonality, otherwise returns {@link #none()}. */
    static Seasonality detect(double[] y, int period) {
        return isSeasonal(y, period) ? decompose(y, period, allPositive(y)) : none();
    }

    static boolean isSeasonal(double[] y, int period) {
        int n = y.length;
        if (period <= 1 || n <= 2 * period || isConstant(y)) {
            return false;
        }
        double[] acf = autocorrelations(y, period);
        double sumSquares = 0;
        for (int k = 1; k < period; k++) {
            sumSquares += acf[k] * acf[k];
        }
        double standardError = Math.sqrt((1 + 2 * sumSquares) / n);
        return Math.abs(acf[period]) / standardError > CRITICAL_VALUE_90;
    }

    /** Classical decomposition: a centred moving average estimates the trend, seasonal means of the detrended series the indices. */
    static Seasonality decompose(double[] y, int period, boolean multiplicative) {
        int n = y.length;
        double[] sums = new double[period];
        int[] counts = new int[period];
        int half = period / 2;
        for (int t = half; t < n - half; t++) {
            double trend = centredMovingAverage(y, t, period);
            double detrended = multiplicative ? y[t] / trend : y[t] - trend;
            if (Double.isFinite(detrended)) {
                sums[t % period] += detrended;
                counts[t % period]++;
            }
        }
        double[] indices = new double[period];
        double mean = 0;
        for (int p = 0; p < period; p++) {
            indices[p] = counts[p] == 0 ? (multiplicative ? 1 : 0) : sums[p] / counts[p];
            mean += indices[p] / period;
        }
        for (int p = 0; p < period; p++) {
            indices[p] = multiplicative ? indices[p] / mean : indices[p] - mean;
        }
        if (multiplicative) {
            for (double index : indices) {
                if (!(index > 1e-10)) {
                    return none();
                }
            }
        }
        return new Seasonality(indices, multiplicative);
    }

    /** Seasonal index of time step {@code t}, counted from the start of the decomposed series. */
    double index(int t) {
        return indices[Math.floorMod(t, indices.length)];
    }

    boolean isNone() {
        return indices.length == 1;
    }

    double[] adjust(double[] y) {
        double[] adjusted = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            adjusted[t] = multiplicative ? y[t] / index(t) : y[t] - index(t);
        }
        return adjusted;
    }

    /** Puts seasonality back into forecasts that start at time step {@code start}. */
    double[] reseasonalise(double[] forecast, int start) {
        double[] result = new double[forecast.length];
        for (int h = 0; h < forecast.length; h++) {
            result[h] = multiplicative ? forecast[h] * index(start + h) : forecast[h] + index(start + h);
        }
        return result;
    }

    /** Scales forecast standard deviations like the point forecasts (multiplicative indices only). */
    double[] rescale(double[] sd, int start) {
        double[] result = sd.clone();
        if (multiplicative) {
            for (int h = 0; h < sd.length; h++) {
                result[h] = sd[h] * index(start + h);
            }
        }
        return result;
    }

    private static double centredMovingAverage(double[] y, int t, int period) {
        int half = period / 2;
        double sum = 0;
        if (period % 2 == 1) {
            for (int k = -half; k <= half; k++) {
                sum += y[t + k];
            }
            return sum / period;
        }
        // a 2 x m moving average centres an even-length window on t
        for (int k = -half; k <= half; k++) {
            double weight = Math.abs(k) == half ? 0.5 : 1.0;
            sum += weight * y[t + k];
        }
        return sum / period;
    }

    static double[] autocorrelations(double[] y, int maxLag) {
        int n = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v / n;
        }
        double denominator = 0;
        for (double v : y) {
            denominator += (v - mean) * (v - mean);
        }
        double[] acf = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++) {
            double numerator = 0;
            for (int t = k; t < n; t++) {
                numerator += (y[t] - mean) * (y[t - k] - mean);
            }
            acf[k] = numerator / denominator;
        }
        return acf;
    }

    static boolean allPositive(double[] y) {
        for (double v : y) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    static boolean isConstant(double[] y) {
        for (double v : y) {
            if (v != y[0]) {
                return false;
            }
        }
        return true;
    }
}
