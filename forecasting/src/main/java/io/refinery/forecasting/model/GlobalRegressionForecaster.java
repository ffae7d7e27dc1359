package io.refinery.forecasting.model;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One Tribuo regression model learned across many series ("global" model, as in the M4/M5 winners'
 * pooled learners). Each series is scaled by the mean of its recent window, so that series of any
 * size share the pattern. Training examples and forecasts take their features from one
 * {@link DemandFeatures} definition: scaled lags, the scaled rolling mean of the last season, a one-hot
 * season position and, when prices are given, lagged price features. Multi-step forecasts feed
 * predictions back as lags; prices of future periods are unknown, so the last known one carries on.
 */
public final class GlobalRegressionForecaster {

    /**
     * @param lags    number of lagged values per example; at least the seasonal period is sensible
     * @param trainer Tribuo regression trainer; its own provenance records the seed it uses
     * @param seed    seed handed to the default trainers, reported in each model's provenance
     */
    public record Config(int lags, Trainer<Regressor> trainer, long seed) {

        public Config {
            if (lags < 1) {
                throw new IllegalArgumentException("lags must be positive: " + lags);
            }
        }

        /** Linear least squares by AdaGrad SGD over {@code max(2 * period, 4)} lags. */
        public static Config linear(int period, long seed) {
            return new Config(Math.max(2 * period, 4),
                new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 10, Integer.MAX_VALUE, 1, seed), seed);
        }

        /** A CART regression tree of depth 10 over {@code max(2 * period, 4)} lags. */
        public static Config tree(int period, long seed) {
            return new Config(Math.max(2 * period, 4), new CARTRegressionTrainer(10), seed);
        }
    }

    private final Config config;

    public GlobalRegressionForecaster(Config config) {
        this.config = config;
    }

    /** Lagged values per example: a series needs more values than this to teach the model anything. */
    public int lags() {
        return config.lags();
    }

    public String describe() {
        return "Global(" + config.trainer() + ", lags=" + config.lags() + ")";
    }

    /** Fits one model on all {@code series} (season position 0 at each series' first value) and returns a model per series. */
    public List<FittedModel> fitAll(List<double[]> series, int period) {
        return fitAll(series, new int[series.size()], period);
    }

    /**
     * Fits one model on all {@code series}; {@code startPositions[i]} is the season position (e.g. month
     * of year minus one) of the first value of series {@code i}.
     */
    public List<FittedModel> fitAll(List<double[]> series, int[] startPositions, int period) {
        return fitAll(series, null, startPositions, period);
    }

    /**
     * Fits one model on all {@code series} with lagged price features; {@code prices.get(i)[t]} is the
     * average selling price of series {@code i} in period {@code t}, NaN where nothing sold. With
     * {@code prices == null} the price features are left out.
     */
    public List<FittedModel> fitAll(List<double[]> series, List<double[]> prices, int[] startPositions, int period) {
        return fitAll(series, prices, startPositions, period, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #fitAll(List, List, int[], int)}, learning from at most the newest
     * {@code examplesPerSeries} periods of each series: with thousands of long daily series, all of
     * them would be millions of examples for a model of a few dozen weights.
     */
    public List<FittedModel> fitAll(List<double[]> series, List<double[]> prices, int[] startPositions, int period,
                                    int examplesPerSeries) {
        DemandFeatures layout = prices == null ? DemandFeatures.of(config.lags, period)
            : DemandFeatures.withPrices(config.lags, period);
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> dataset = new MutableDataset<>(
            new SimpleDataSourceProvenance("lag features of " + series.size() + " series", factory), factory);
        for (int i = 0; i < series.size(); i++) {
            double[] y = series.get(i);
            double[] p = prices == null ? null : prices.get(i);
            for (int t = firstExample(y.length, config.lags, examplesPerSeries); t < y.length; t++) {
                double scale = layout.scale(y, t);
                dataset.add(new ArrayExample<>(new Regressor("target", y[t] / scale - 1), layout.sharedNames(),
                    layout.at(y, p, t, startPositions[i] + t)));
            }
        }
        // invocation count 0 resets the trainer's RNG, so the same data and seed always give the same model
        Model<Regressor> model = config.trainer.train(dataset, Map.of(), 0);
        List<FittedModel> fitted = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            double[] p = prices == null ? null : prices.get(i);
            fitted.add(new SeriesModel(model, layout, series.get(i), p, startPositions[i],
                residualSigma(model, layout, series.get(i), p, startPositions[i], examplesPerSeries), config));
        }
        return fitted;
    }

    /** The first period a series of {@code length} values teaches: after its lags, and among its newest examples. */
    private static int firstExample(int length, int lags, int examplesPerSeries) {
        return Math.max(lags, length - examplesPerSeries);
    }

    private static double residualSigma(Model<Regressor> model, DemandFeatures layout, double[] y, double[] p, int start,
                                        int examplesPerSeries) {
        List<Example<Regressor>> examples = new ArrayList<>();
        List<Double> scales = new ArrayList<>();
        int first = firstExample(y.length, layout.lags(), examplesPerSeries);
        for (int t = first; t < y.length; t++) {
            examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, layout.sharedNames(), layout.at(y, p, t, start + t)));
            scales.add(layout.scale(y, t));
        }
        if (examples.isEmpty()) {
            return 0;
        }
        List<Prediction<Regressor>> predictions = model.predict(examples);
        double sumSquares = 0;
        for (int k = 0; k < predictions.size(); k++) {
            double forecast = (predictions.get(k).getOutput().getValues()[0] + 1) * scales.get(k);
            double error = y[first + k] - forecast;
            sumSquares += error * error;
        }
        return Math.sqrt(sumSquares / predictions.size());
    }

    private record SeriesModel(Model<Regressor> model, DemandFeatures layout, double[] history, double[] prices,
                               int start, double sigma, Config config) implements FittedModel {

        @Override
        public Provenance provenance() {
            return new Provenance("Global(" + config.trainer.getClass().getSimpleName() + ")",
                Map.of("lags", (double) layout.lags(), "sigma", sigma, "priceFeatures", layout.usesPrices() ? 1.0 : 0.0),
                config.seed);
        }

        @Override
        public double[] pointForecast(int horizon) {
            int n = history.length;
            double[] extended = Arrays.copyOf(history, n + horizon);
            for (int h = 0; h < horizon; h++) {
                int t = n + h;
                if (t < layout.lags()) {
                    extended[t] = extended[t - 1];
                    continue;
                }
                double scale = layout.scale(extended, t);
                // prices of future periods are unknown: the feature definition carries the last known one forward
                Prediction<Regressor> prediction = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR,
                    layout.sharedNames(), layout.at(extended, prices, t, start + t)));
                extended[t] = (prediction.getOutput().getValues()[0] + 1) * scale;
            }
            return Arrays.copyOfRange(extended, n, n + horizon);
        }

        /** Recursive errors accumulate roughly like a random walk's. */
        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                sd[h] = sigma * Math.sqrt(h + 1);
            }
            return sd;
        }
    }
}
