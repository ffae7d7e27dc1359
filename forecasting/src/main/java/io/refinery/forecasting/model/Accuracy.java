package io.refinery.forecasting.model;

import java.util.List;

/**
 * Forecast accuracy of one series ({@link #of}) and over many ({@link #summarise}).
 *
 * @param smape          mean of {@code 200 |y - f| / (|y| + |f|)} over the horizon (M3 definition, in percent)
 * @param mase           mean absolute error scaled by the in-sample seasonal-naive mean absolute error
 * @param absoluteError  sum of {@code |y - f|}, the WAPE numerator
 * @param signedError    sum of {@code f - y}, the bias numerator (positive means over-forecasting)
 * @param absoluteActual sum of {@code |y|}, the WAPE and bias denominator
 * @param covered        number of actuals inside the prediction interval
 * @param points         number of forecast steps scored
 */
public record Accuracy(double smape, double mase, double absoluteError, double signedError, double absoluteActual,
                       int covered, int points) {

    /** Weighted absolute percentage error, in percent. */
    public double wape() {
        return 100 * absoluteError / absoluteActual;
    }

    /** Signed error relative to the actuals' volume, in percent. */
    public double bias() {
        return 100 * signedError / absoluteActual;
    }

    /** Share of actuals inside the prediction interval, in percent. */
    public double coverage() {
        return 100.0 * covered / points;
    }

    /**
     * Scores {@code forecast} against {@code actual}; {@code lower}/{@code upper} bound the prediction
     * interval and {@code history} provides the MASE scale for seasonal period {@code period}.
     */
    public static Accuracy of(double[] history, int period, double[] actual, double[] forecast,
                              double[] lower, double[] upper) {
        double smape = 0;
        double absoluteError = 0;
        double signedError = 0;
        double absoluteActual = 0;
        int covered = 0;
        for (int h = 0; h < actual.length; h++) {
            double error = actual[h] - forecast[h];
            double denominator = Math.abs(actual[h]) + Math.abs(forecast[h]);
            smape += denominator == 0 ? 0 : 200 * Math.abs(error) / denominator;
            absoluteError += Math.abs(error);
            signedError -= error;
            absoluteActual += Math.abs(actual[h]);
            if (actual[h] >= lower[h] && actual[h] <= upper[h]) {
                covered++;
            }
        }
        int points = actual.length;
        double mase = absoluteError / points / maseScale(history, period);
        return new Accuracy(smape / points, mase, absoluteError, signedError, absoluteActual, covered, points);
    }

    /**
     * Per-series sMAPE and MASE averaged over series (as the M competitions report them); WAPE, bias
     * and coverage pooled over all points.
     */
    public static Accuracy summarise(List<Accuracy> perSeries) {
        double smape = 0;
        double mase = 0;
        double absoluteError = 0;
        double signedError = 0;
        double absoluteActual = 0;
        int covered = 0;
        int points = 0;
        for (Accuracy accuracy : perSeries) {
            smape += accuracy.smape / perSeries.size();
            mase += accuracy.mase / perSeries.size();
            absoluteError += accuracy.absoluteError;
            signedError += accuracy.signedError;
            absoluteActual += accuracy.absoluteActual;
            covered += accuracy.covered;
            points += accuracy.points;
        }
        return new Accuracy(smape, mase, absoluteError, signedError, absoluteActual, covered, points);
    }

    /**
     * In-sample mean absolute error of the seasonal naive forecast, the MASE denominator; falls back
     * to lag 1 for series shorter than a season and to 1 for constant series so the ratio stays finite.
     */
    static double maseScale(double[] history, int period) {
        int m = history.length > period ? Math.max(1, period) : 1;
        double sum = 0;
        for (int t = m; t < history.length; t++) {
            sum += Math.abs(history[t] - history[t - m]);
        }
        double scale = history.length > m ? sum / (history.length - m) : 0;
        return scale > 0 ? scale : 1;
    }
}
