package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The one feature definition of the global regression model, used for the training examples and for
 * scoring alike, so that the two cannot drift apart. The features of period {@code t} are computed
 * from periods before {@code t} only (point-in-time correct): a forecast issued after period
 * {@code t - 1} sees exactly the features the model was trained on.
 *
 * <ul>
 *   <li>{@code lag001..} demand lags scaled by the mean absolute demand of the lag window, minus 1;</li>
 *   <li>{@code rollingMean}: the scaled mean of the last season (or of all lags, if shorter);</li>
 *   <li>{@code season000..}: one-hot position in the season (month of year, day of week);</li>
 *   <li>with prices ({@link #withPrices}): {@code priceLag1}, the last known average selling price
 *       relative to the mean known price of the lag window, minus 1 (negative while discounted), and
 *       {@code priceChange}, the last known price relative to the one before it, minus 1.</li>
 * </ul>
 * Prices enter as lags only: the served data carries the realised average price per period
 * (revenue / quantity) but no promotion calendar, so the price of a future period is not known in
 * advance. Periods without sales have no price ({@code NaN}); the last known one carries forward.
 */
public final class DemandFeatures {

    private final int lags;
    private final int period;
    private final boolean prices;
    private final String[] names;

    private DemandFeatures(int lags, int period, boolean prices) {
        if (lags < 1) {
            throw new IllegalArgumentException("lags must be positive: " + lags);
        }
        this.lags = lags;
        this.period = Math.max(1, period);
        this.prices = prices;
        List<String> list = new ArrayList<>();
        for (int k = 0; k < lags; k++) {
            list.add(String.format("lag%03d", k + 1));
        }
        list.add("rollingMean");
        for (int p = 0; p < this.period; p++) {
            list.add(String.format("season%03d", p));
        }
        if (prices) {
            list.add("priceLag1");
            list.add("priceChange");
        }
        names = list.toArray(String[]::new);
    }

    /** Demand lags, rolling mean and season position. */
    public static DemandFeatures of(int lags, int period) {
        return new DemandFeatures(lags, period, false);
    }

    /** Also the lagged price features; series without any price get zeros there. */
    public static DemandFeatures withPrices(int lags, int period) {
        return new DemandFeatures(lags, period, true);
    }

    public int lags() {
        return lags;
    }

    public boolean usesPrices() {
        return prices;
    }

    /** Feature names, in the order of {@link #at}'s values. */
    public String[] names() {
        return names.clone();
    }

    String[] sharedNames() {
        return names;
    }

    /** The scale of period {@code t}: mean absolute demand over the lag window, 1 for an all-zero window. */
    public double scale(double[] demand, int t) {
        double sum = 0;
        for (int k = 1; k <= lags; k++) {
            sum += Math.abs(demand[t - k]);
        }
        return sum > 0 ? sum / lags : 1;
    }

    /**
     * Features of period {@code t} ({@code t >= lags()}), reading only {@code demand[0..t-1]} and
     * {@code price[0..t-1]}. {@code price} may be {@code null}; {@code seasonPosition} is the season
     * position of period {@code t}.
     */
    public double[] at(double[] demand, double[] price, int t, int seasonPosition) {
        if (t < lags || t > demand.length) {
            throw new IllegalArgumentException("period " + t + " needs " + lags + " earlier periods");
        }
        double scale = scale(demand, t);
        double[] features = new double[names.length];
        double rolling = 0;
        int window = Math.min(period, lags);
        for (int k = 1; k <= lags; k++) {
            features[k - 1] = demand[t - k] / scale - 1;
            if (k <= window) {
                rolling += demand[t - k] / scale / window;
            }
        }
        features[lags] = rolling - 1;
        features[lags + 1 + Math.floorMod(seasonPosition, period)] = 1;
        if (prices && price != null) {
            int base = lags + 1 + period;
            double last = lastKnown(price, t, 1);
            double before = lastKnown(price, t, 2);
            double reference = meanKnown(price, t);
            features[base] = Double.isFinite(last) && reference > 0 ? last / reference - 1 : 0;
            features[base + 1] = Double.isFinite(last) && before > 0 ? last / before - 1 : 0;
        }
        return features;
    }

    /** The {@code nth} most recent known price before {@code t}, or NaN. */
    private static double lastKnown(double[] price, int t, int nth) {
        int found = 0;
        for (int s = Math.min(t, price.length) - 1; s >= 0; s--) {
            if (Double.isFinite(price[s]) && ++found == nth) {
                return price[s];
            }
        }
        return Double.NaN;
    }

    private double meanKnown(double[] price, int t) {
        double sum = 0;
        int count = 0;
        for (int s = Math.max(0, t - lags); s < Math.min(t, price.length); s++) {
            if (Double.isFinite(price[s])) {
                sum += price[s];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
