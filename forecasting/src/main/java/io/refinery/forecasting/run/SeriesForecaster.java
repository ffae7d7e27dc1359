package io.refinery.forecasting.run;

import io.refinery.forecasting.model.Accuracy;
import io.refinery.forecasting.model.AutoForecaster;
import io.refinery.forecasting.model.FittedModel;
import io.refinery.forecasting.model.Forecast;
import io.refinery.forecasting.model.Forecasters;
import io.refinery.forecasting.model.SelectionConfig;

import java.util.Arrays;

/**
 * Forecasts one series: picks and fits a model (rolling-origin selection), and measures how the
 * same procedure did on the series' most recent {@code horizon} periods held out.
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
        Accuracy backtest = null;
        int holdout = Math.min(horizon, history.length / 4);
        if (history.length - holdout >= MIN_POINTS) {
            double[] train = Arrays.copyOf(history, history.length - holdout);
            double[] actual = Arrays.copyOfRange(history, history.length - holdout, history.length);
            int trainPeriod = train.length >= 2 * period + 2 ? period : 1;
            Forecast heldOut = selector.fit(train, trainPeriod).forecast(holdout, LOW, 0.5, HIGH);
            backtest = Accuracy.of(train, trainPeriod, actual, heldOut.mean(), heldOut.quantile(LOW), heldOut.quantile(HIGH));
        }
        FittedModel model = selector.fit(history, seasonalPeriod);
        return new Result(model.forecast(horizon, LOW, 0.5, HIGH), model.provenance().model(), backtest);
    }

    String describe() {
        return "AutoForecaster(horizon=" + horizon + ", period=" + period + ", origins=" + selector.config().origins()
                + ", candidates=" + selector.config().candidates().stream().map(f -> f.name()).toList()
                + ", intermittent=" + selector.config().intermittentCandidates().stream().map(f -> f.name()).toList() + ")";
    }
}
