package io.refinery.forecasting.model;

import java.util.EnumSet;
import java.util.List;

/** Entry point to the model zoo; every forecaster returned here is immutable and thread-safe. */
public final class Forecasters {

    /** Croston's and SBA's usual smoothing weight (R's {@code croston} default); TSB uses it for both weights. */
    private static final double INTERMITTENT_WEIGHT = 0.1;

    private static final Forecaster ETS = new EtsForecaster("ETS", EnumSet.allOf(Ets.Trend.class));
    private static final Forecaster DAMPED_ETS = new EtsForecaster("DampedETS", EnumSet.of(Ets.Trend.DAMPED));
    private static final Forecaster THETA = new Theta();
    private static final Forecaster ARIMA = new Arima();
    private static final Forecaster COMBINATION = new Combination("Mean", List.of(ETS, THETA, DAMPED_ETS), false);

    private Forecasters() {
    }

    public static Forecaster seasonalNaive() {
        return new SeasonalNaive();
    }

    /** The M4 Naive2 benchmark (seasonally adjusted naive), the reference of OWA. */
    public static Forecaster naive2() {
        return new Naive2();
    }

    /** ETS with automatic form selection by AICc over error, trend and seasonality, as R's {@code ets}. */
    public static Forecaster ets() {
        return ETS;
    }

    /** ETS restricted to damped trends, selected by AICc over error and seasonality. */
    public static Forecaster dampedEts() {
        return DAMPED_ETS;
    }

    /** The M3 Theta method, as R's {@code thetaf}. */
    public static Forecaster theta() {
        return THETA;
    }

    /** Seasonal ARIMA with Hyndman–Khandakar stepwise order selection by AICc, as R's {@code auto.arima}. */
    public static Forecaster arima() {
        return ARIMA;
    }

    public static Forecaster croston() {
        return new Intermittent(Intermittent.Variant.CROSTON, INTERMITTENT_WEIGHT, INTERMITTENT_WEIGHT);
    }

    public static Forecaster sba() {
        return new Intermittent(Intermittent.Variant.SBA, INTERMITTENT_WEIGHT, INTERMITTENT_WEIGHT);
    }

    public static Forecaster tsb() {
        return new Intermittent(Intermittent.Variant.TSB, INTERMITTENT_WEIGHT, INTERMITTENT_WEIGHT);
    }

    /** Mean of ETS, Theta and damped ETS: three diverse, individually strong models. */
    public static Forecaster combination() {
        return COMBINATION;
    }

    public static Forecaster median(Forecaster... members) {
        return new Combination("Median", List.of(members), true);
    }

    public static Forecaster mean(Forecaster... members) {
        return new Combination("Mean", List.of(members), false);
    }

    /** Per-series selection by rolling-origin backtests over the default zoo. */
    public static AutoForecaster auto(int horizon) {
        return new AutoForecaster(SelectionConfig.defaults(horizon));
    }
}
