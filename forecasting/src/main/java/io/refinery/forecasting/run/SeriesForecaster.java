package io.refinery.forecasting.run;

import io.refinery.forecasting.model.Accuracy;
import io.refinery.forecasting.model.AutoForecaster;
import io.refinery.forecasting.model.FittedModel;
import io.refinery.forecasting.model.Forecast;
import io.refinery.forecasting.model.Forecasters;
import io.refinery.forecasting.model.GlobalCandidates;
import io.refinery.forecasting.model.GlobalRegressionForecaster;
import io.refinery.forecasting.model.SelectionConfig;

import java.util.List;

/**
 * Forecasts one series: picks and fits a model by rolling-origin backtests and keeps the chosen
 * model's backtest accuracy (pooled over the origins) as the series' accuracy.
 */
final class SeriesForecaster {

    static final double LOW = 0.1;
    static final double HIGH = 0.9;
    /** Fewer points than this cannot be backtested meaningfully: the last value is carried forward. */
    private static final int MIN_POINTS = 6;

    record Result(Forecast forecast, String model, Accuracy backtest) {
    }

    /** Seed of the global model's SGD: fixed, so that a run is reproducible. */
    private static final long GLOBAL_SEED = 42L;

    private final AutoForecaster selector;
    private final GlobalRegressionForecaster global;
    private final int horizon;
    private final int period;

    /** @param withGlobal whether runs offer a global model to every series ({@link #fitGlobal}) */
    SeriesForecaster(int horizon, int seasonalPeriod, int origins, boolean withGlobal) {
        SelectionConfig defaults = SelectionConfig.defaults(horizon);
        this.selector = new AutoForecaster(new SelectionConfig(horizon, origins, defaults.candidates(),
                defaults.intermittentCandidates(), 1));
        this.horizon = horizon;
        this.period = seasonalPeriod;
        this.global = withGlobal
                ? new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(seasonalPeriod, GLOBAL_SEED)) : null;
    }

    /** @param global this series' global-model candidate ({@link #fitGlobal}), or null for the local models only */
    Result forecast(double[] history, AutoForecaster.PrefittedCandidate global) {
        if (history.length < MIN_POINTS) {
            FittedModel naive = Forecasters.naive2().fit(history, 1);
            return new Result(naive.forecast(horizon, LOW, 0.5, HIGH), naive.provenance().model(), null);
        }
        // one selection: the chosen model's rolling-origin backtest is the stored accuracy, so the series
        // is not selected a second time on a held-out tail just to score it
        AutoForecaster.Selection selection = selector.select(history, seasonalPeriodOf(history.length), global);
        FittedModel model = selection.model();
        return new Result(model.forecast(horizon, LOW, 0.5, HIGH), model.provenance().model(), selection.backtest());
    }

    /** Short series are treated as non-seasonal: two full cycles are needed to estimate a season. */
    private int seasonalPeriodOf(int length) {
        return length >= 2 * period + 2 ? period : 1;
    }

    /**
     * Learns the global model across {@code series} at every backtest origin of every series, so that
     * each series' selection can weigh it like a local model (see {@link GlobalCandidates}).
     */
    GlobalCandidates fitGlobal(List<double[]> series, List<double[]> prices, int[] startPositions) {
        if (global == null) {
            return null;
        }
        int[] periods = series.stream().mapToInt(y -> seasonalPeriodOf(y.length)).toArray();
        return GlobalCandidates.fit(global, series, prices, startPositions, periods, period, selector);
    }

    String describe() {
        return "AutoForecaster(horizon=" + horizon + ", period=" + period + ", origins=" + selector.config().origins()
                + ", candidates=" + selector.config().candidates().stream().map(f -> f.name()).toList()
                + ", intermittent=" + selector.config().intermittentCandidates().stream().map(f -> f.name()).toList()
                + ", global=" + (global == null ? "off" : global.describe()) + ")";
    }
}
