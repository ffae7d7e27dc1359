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
 * size share the pattern; features are the scaled lags, the scaled rolling mean of the last season
 * and a one-hot season position. Multi-step forecasts feed predictions back as lags.
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

    /** Fits one model on all {@code series} (season position 0 at each series' first value) and returns a model per series. */
    public List<FittedModel> fitAll(List<double[]> series, int period) {
        return fitAll(series, new int[series.size()], period);
    }

    /**
     * Fits one model on all {@code series}; {@code startPositions[i]} is the season position (e.g. month
     * of year minus one) of the first value of series {@code i}.
     */
    public List<FittedModel> fitAll(List<double[]> series, int[] startPositions, int period) {
        FeatureLayout layout = new FeatureLayout(config.lags, Math.max(1, period));
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> dataset = new MutableDataset<>(
            new SimpleDataSourceProvenance("lag features of " + series.size() + " series", factory), factory);
        for (int i = 0; i < series.size(); i++) {
            double[] y = series.get(i);
            for (int t = config.lags; t < y.length; t++) {
                double scale = layout.scale(y, t);
                dataset.add(new ArrayExample<>(new Regressor("target", y[t] / scale - 1), layout.names,
                    layout.features(y, t, startPositions[i] + t, scale)));
            }
        }
        // invocation count 0 resets the trainer's RNG, so the same data and seed always give the same model
        Model<Regressor> model = config.trainer.train(dataset, Map.of(), 0);
        List<FittedModel> fitted = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            fitted.add(new SeriesModel(model, layout, series.get(i), startPositions[i], residualSigma(model, layout, series.get(i), startPositions[i]), config));
        }
        return fitted;
    }

    private static double residualSigma(Model<Regressor> model, FeatureLayout layout, double[] y, int start) {
        List<Example<Regressor>> examples = new ArrayList<>();
        List<Double> scales = new ArrayList<>();
        for (int t = layout.lags; t < y.length; t++) {
            double scale = layout.scale(y, t);
            examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, layout.names, layout.features(y, t, start + t, scale)));
            scales.add(scale);
        }
        if (examples.isEmpty()) {
            return 0;
        }
        List<Prediction<Regressor>> predictions = model.predict(examples);
        double sumSquares = 0;
        for (int k = 0; k < predictions.size(); k++) {
            double forecast = (predictions.get(k).getOutput().getValues()[0] + 1) * scales.get(k);
            double error = y[layout.lags + k] - forecast;
            sumSquares += error * error;
        }
        return Math.sqrt(sumSquares / predictions.size());
    }

    private static final class FeatureLayout {
        final int lags;
        final int period;
        final String[] names;

        FeatureLayout(int lags, int period) {
            this.lags = lags;
            this.period = period;
            names = new String[lags + 1 + period];
            for (int k = 0; k < lags; k++) {
                names[k] = String.format("lag%03d", k + 1);
            }
            names[lags] = "rollingMean";
            for (int p = 0; p < period; p++) {
                names[lags + 1 + p] = String.format("season%03d", p);
            }
        }

        /** Mean absolute value of the lag window; 1 for an all-zero window so the ratios stay finite. */
        double scale(double[] y, int t) {
            double sum = 0;
            for (int k = 1; k <= lags; k++) {
                sum += Math.abs(y[t - k]);
            }
            return sum > 0 ? sum / lags : 1;
        }

        double[] features(double[] y, int t, int seasonPosition, double scale) {
            double[] features = new double[names.length];
            double rolling = 0;
            int window = Math.min(period, lags);
            for (int k = 1; k <= lags; k++) {
                features[k - 1] = y[t - k] / scale - 1;
                if (k <= window) {
                    rolling += y[t - k] / scale / window;
                }
            }
            features[lags] = rolling - 1;
            features[lags + 1 + Math.floorMod(seasonPosition, period)] = 1;
            return features;
        }
    }

    private record SeriesModel(Model<Regressor> model, FeatureLayout layout, double[] history, int start,
                               double sigma, Config config) implements FittedModel {

        @Override
        public Provenance provenance() {
            return new Provenance("Global(" + config.trainer.getClass().getSimpleName() + ")",
                Map.of("lags", (double) layout.lags, "sigma", sigma), config.seed);
        }

        @Override
        public double[] pointForecast(int horizon) {
            int n = history.length;
            double[] extended = Arrays.copyOf(history, n + horizon);
            for (int h = 0; h < horizon; h++) {
                int t = n + h;
                if (t < layout.lags) {
                    extended[t] = extended[t - 1];
                    continue;
                }
                double scale = layout.scale(extended, t);
                Prediction<Regressor> prediction = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR,
                    layout.names, layout.features(extended, t, start + t, scale)));
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
