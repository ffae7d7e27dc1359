package io.refinery.forecasting.model;

import java.util.Arrays;

/**
 * Point forecasts and prediction-interval quantiles for horizons {@code 1..horizon()}.
 *
 * @param mean      point forecast per horizon step
 * @param levels    quantile levels in (0, 1), e.g. {@code 0.1, 0.5, 0.9}
 * @param quantiles {@code quantiles[i][h]} is the {@code levels[i]} quantile at step {@code h + 1}
 */
public record Forecast(double[] mean, double[] levels, double[][] quantiles) {

    public Forecast {
        if (levels.length != quantiles.length) {
            throw new IllegalArgumentException("one quantile row per level is required");
        }
        for (double level : levels) {
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("quantile levels must lie in (0, 1): " + level);
            }
        }
    }

    public int horizon() {
        return mean.length;
    }

    /** The forecast quantile path at {@code level}, which must be one of {@link #levels()}. */
    public double[] quantile(double level) {
        for (int i = 0; i < levels.length; i++) {
            if (Math.abs(levels[i] - level) < 1e-12) {
                return quantiles[i];
            }
        }
        throw new IllegalArgumentException("level " + level + " not among " + Arrays.toString(levels));
    }

    /**
     * Gaussian quantiles around {@code mean} with per-step standard deviations {@code sd}, truncated
     * below at {@code floor} (use {@code Double.NEGATIVE_INFINITY} for none, {@code 0} for demand).
     */
    static Forecast gaussian(double[] mean, double[] sd, double floor, double... levels) {
        double[][] quantiles = new double[levels.length][mean.length];
        for (int i = 0; i < levels.length; i++) {
            double z = Normal.quantile(levels[i]);
            for (int h = 0; h < mean.length; h++) {
                quantiles[i][h] = Math.max(floor, mean[h] + z * sd[h]);
            }
        }
        return new Forecast(mean.clone(), levels.clone(), quantiles);
    }
}
