package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Fits every admissible ETS form among the allowed trends and picks the lowest AICc, like R's {@code ets}. */
record EtsForecaster(String name, Set<Ets.Trend> trends) implements Forecaster {

    EtsForecaster {
        if (trends.isEmpty()) {
            throw new IllegalArgumentException("at least one trend form is required");
        }
        trends = Set.copyOf(trends);
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        Ets.Model best = null;
        for (Ets.Spec spec : candidates(history, seasonalPeriod)) {
            Ets.Model model = Ets.fit(history, seasonalPeriod, spec);
            if (model != null && (best == null || model.aicc() < best.aicc())) {
                best = model;
            }
        }
        if (best == null) {
            // too short for any model with trend or seasonality: simple exponential smoothing still fits
            best = Ets.fit(history, seasonalPeriod, new Ets.Spec(Ets.Error.ADDITIVE, Ets.Trend.NONE, Ets.Season.NONE));
        }
        if (best == null) {
            return new SeasonalNaive().fit(history, 1);
        }
        return best;
    }

    /**
     * The form {@code full} chose, re-estimated on {@code past}: what a backtest origin needs, at the cost
     * of one form instead of all of them (R: {@code ets(past, model = fit, use.initial.values = FALSE)}).
     * Falls back to a full selection when {@code full} is no ETS model or its form does not fit {@code past}.
     */
    FittedModel refitForm(FittedModel full, double[] past, int seasonalPeriod) {
        if (full instanceof Ets.Model model) {
            Ets.Model refitted = Ets.fit(past, seasonalPeriod, model.spec());
            if (refitted != null) {
                return refitted;
            }
        }
        return fit(past, seasonalPeriod);
    }

    private List<Ets.Spec> candidates(double[] history, int period) {
        boolean positive = Seasonality.allPositive(history);
        boolean seasonalAllowed = period > 1 && history.length >= 2 * period;
        List<Ets.Spec> specs = new ArrayList<>();
        for (Ets.Error error : Ets.Error.values()) {
            for (Ets.Trend trend : Ets.Trend.values()) {
                if (!trends.contains(trend)) {
                    continue;
                }
                for (Ets.Season season : Ets.Season.values()) {
                    Ets.Spec spec = new Ets.Spec(error, trend, season);
                    if (spec.admissible(positive, seasonalAllowed)) {
                        specs.add(spec);
                    }
                }
            }
        }
        return specs;
    }
}
