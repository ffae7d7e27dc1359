package io.refinery.forecasting.run;

import io.refinery.forecasting.model.Accuracy;
import io.refinery.forecasting.model.AutoForecaster;
import io.refinery.forecasting.model.FittedModel;
import io.refinery.forecasting.model.Forecast;
import io.refinery.forecasting.model.Forecasters;
import io.refinery.forecasting.model.SelectionConfig;

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

    private final AutoForecaster selector;
    private final int horizon;
    private final int period;

    SeriesForecaster(int horizon, int seasonalPeriod, int origins) {
        SelectionConfig defaults = SelectionConfig.defaults(horizon);
        this.selector = new AutoForecaster(new SelectionConfig(horizon, origins, defaults.candidates(),
                defaults.intermittentCandidates(), 1));
        this.horizon = horizon;
        this.period = seasonalPeriod;
    }

    Result forecast(double[] history) {
        if (history.length < MIN_POINTS) {
            FittedModel naive = Forecasters.naive2().fit(history, 1);
            return new Result(naive.forecast(horizon, LOW, 0.5, HIGH), naive.provenance().model(), null);
        }
        int seasonalPeriod = history.length >= 2 * period + 2 ? period : 1;
        // one selection: the chosen model's rolling-origin backtest is the stored accuracy, so the series
        // is not selected a second time on a held-out tail just to score it
        AutoForecaster.Selection selection = selector.select(history, seasonalPeriod);
        FittedModel model = selection.model();
        return new Result(model.forecast(horizon, LOW, 0.5, HIGH), model.provenance().model(), selection.backtest());
    }

    String describe() {
        return "AutoForecaster(horizon=" + horizon + ", period=" + period + ", origins=" + selector.config().origins()
                + ", candidates=" + selector.config().candidates().stream().map(f -> f.name()).toList()
                + ", intermittent=" + selector.config().intermittentCandidates().stream().map(f -> f.name()).toList() + ")";
    }
}
