package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Picks a model per series by rolling-origin backtests. Series classified as intermittent (average
 * inter-demand interval of at least 1.32) are routed to the intermittent candidates, everything else
 * to the regular candidates.
 *
 * <p>Every candidate is fitted on the whole series first (the winner needs no refit). Each origin then
 * cuts the series, fits every candidate on the part before the cut (on long series ETS re-estimates the
 * form it chose on the whole series rather than choosing again, as R's {@code ets(y, model = fit)} does) and scores
 * {@code |actual - forecast|} on the following steps, scaled like MASE. A candidate replaces the
 * first (default) candidate only if it has the lowest total error and beats the default at every
 * origin; plain arg-min selection on a few noisy windows loses accuracy against always using a
 * good combination. Intervals are the chosen model's own; their backtest P10–P90 coverage is
 * reported in the provenance so that miscalibration on a series is visible.
 */
public final class AutoForecaster implements Forecaster {

    private static final double COVERAGE_LOWER = 0.1;
    private static final double COVERAGE_UPPER = 0.9;

    private final SelectionConfig config;

    public AutoForecaster(SelectionConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "Auto";
    }

    public SelectionConfig config() {
        return config;
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        return select(history, seasonalPeriod).model();
    }

    /**
     * The chosen model fitted on the whole history, and how that model scored in the rolling-origin
     * backtests that chose it.
     *
     * @param model    the winner refitted on all of {@code history}; its provenance carries the backtest scores
     * @param backtest the winner's accuracy pooled over the backtest origins (sMAPE and MASE averaged over
     *                 origins, WAPE/bias/coverage pooled), or {@code null} when the series was too short for
     *                 a single origin. It is slightly optimistic: the same origins chose the model.
     */
    public record Selection(FittedModel model, Accuracy backtest) {
    }

    /**
     * Like {@link #fit} but also hands back the backtest accuracy, so that a caller that stores
     * accuracy need not run a second, held-out selection (which costs a whole second fit).
     */
    public Selection select(double[] history, int seasonalPeriod) {
        return select(history, seasonalPeriod, null);
    }

    /**
     * A model fitted outside the per-series selection, such as one global model learned across all
     * series of a run: it cannot be refitted per series and origin, so it hands over the model it
     * learned with this series cut at each backtest origin ({@link #backtestCuts}).
     */
    public interface PrefittedCandidate {
        /**
         * This series' model learned from data up to {@code training} values of it (and, for a global
         * model, every other series cut at its own origin), or null where there is none.
         */
        FittedModel fittedOn(int training);
    }

    /**
     * Like {@link #select(double[], int)} with one more candidate on regular series, judged by the
     * same rule as the zoo's: it must beat the default at every origin and have the lowest total error.
     */
    public Selection select(double[] history, int seasonalPeriod, PrefittedCandidate extra) {
        boolean intermittent = Intermittent.isIntermittent(history);
        List<Forecaster> candidates = intermittent ? config.intermittentCandidates() : config.candidates();
        PrefittedCandidate prefitted = intermittent ? null : extra;
        // every distinct model is fitted on the whole history once: the winner is then already fitted, and the
        // ETS forms chosen here are the ones the backtest origins re-estimate
        Map<Forecaster, FittedModel> full = new LinkedHashMap<>();
        for (Forecaster base : baseModels(candidates)) {
            full.put(base, base.fit(history, seasonalPeriod));
        }
        Backtest backtest = backtest(history, seasonalPeriod, candidates, prefitted, full);
        int winner = 0;
        int size = candidates.size() + (prefitted == null ? 0 : 1);
        for (int c = 1; c < size; c++) {
            if (backtest.beatsDefaultAtEveryOrigin(c) && backtest.total(c) < backtest.total(winner)) {
                winner = c;
            }
        }
        FittedModel chosen = winner < candidates.size() ? model(candidates.get(winner), full)
            : prefitted.fittedOn(history.length);
        List<Accuracy> origins = backtest.accuracyByCandidate.get(winner);
        return new Selection(
            new Selected(chosen, backtest.total(winner) / Math.max(1, backtest.points), backtest.coverage(winner)),
            origins.isEmpty() ? null : Accuracy.summarise(origins));
    }

    /** Fits {@code series} in parallel on {@link SelectionConfig#parallelism()} threads; results keep input order. */
    public List<FittedModel> fitAll(List<double[]> series, int seasonalPeriod) {
        ForkJoinPool pool = new ForkJoinPool(config.parallelism());
        try {
            return pool.submit(() -> IntStream.range(0, series.size()).parallel()
                .mapToObj(i -> fit(series.get(i), seasonalPeriod)).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fitting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("fitting failed", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Scaled absolute errors per candidate and origin, and how often the P10-P90 interval covered the actual. */
    private static final class Backtest {
        final List<double[]> errorsByOrigin = new ArrayList<>();
        final int[] covered;
        final List<List<Accuracy>> accuracyByCandidate = new ArrayList<>();
        int points;

        Backtest(int candidates) {
            covered = new int[candidates];
            for (int c = 0; c < candidates; c++) {
                accuracyByCandidate.add(new ArrayList<>());
            }
        }

        double total(int candidate) {
            return errorsByOrigin.stream().mapToDouble(errors -> errors[candidate]).sum();
        }

        /** A noisy win on one origin is no evidence; demanding a win on each origin keeps selection from overfitting. */
        boolean beatsDefaultAtEveryOrigin(int candidate) {
            return !errorsByOrigin.isEmpty() && errorsByOrigin.stream().allMatch(errors -> errors[candidate] < errors[0]);
        }

        double coverage(int candidate) {
            return points == 0 ? Double.NaN : (double) covered[candidate] / points;
        }
    }

    /**
     * Where the rolling-origin backtest of a series of {@code n} values cuts it: the number of values
     * each origin trains on, newest origin first. A prefitted candidate must be learned at these cuts.
     */
    public int[] backtestCuts(int n, int period) {
        int horizon = backtestHorizon(n);
        int step = Math.max(1, horizon / config.origins());
        int minimumTraining = Math.max(period > 1 ? 2 * period : 0, 8);
        return IntStream.range(0, config.origins()).map(origin -> n - horizon - origin * step)
            .takeWhile(training -> training >= minimumTraining).toArray();
    }

    private int backtestHorizon(int n) {
        return Math.min(config.horizon(), Math.max(1, n / 3));
    }

    /** A candidate from its base models' fits: a combination combines its members', anything else is a base. */
    private static FittedModel model(Forecaster candidate, Map<Forecaster, FittedModel> fitted) {
        return candidate instanceof Combination combination
            ? combination.combine(combination.members().stream().map(fitted::get).toList())
            : fitted.get(candidate);
    }

    /**
     * From this many values on, ETS re-estimates at each backtest origin the form it chose on the whole
     * history instead of choosing again among every form. Choosing costs forms × length per origin,
     * which on two years of daily demand is most of a run; on a long series a cut of a few periods
     * rarely changes the form. Short series keep choosing per origin: it is cheap there, and on M3
     * monthly (at most 126 values) re-estimating one form made selection's sMAPE 0.08 worse.
     */
    static final int REFIT_FORM_FROM = 200;

    /** A base model fitted at a backtest origin (see {@link #REFIT_FORM_FROM}). */
    private static FittedModel fitAtOrigin(Forecaster base, FittedModel full, double[] past, int period) {
        return base instanceof EtsForecaster ets && past.length >= REFIT_FORM_FROM
            ? ets.refitForm(full, past, period) : base.fit(past, period);
    }

    private Backtest backtest(double[] y, int period, List<Forecaster> candidates, PrefittedCandidate prefitted,
                              Map<Forecaster, FittedModel> full) {
        int n = y.length;
        int size = candidates.size() + (prefitted == null ? 0 : 1);
        Backtest result = new Backtest(size);
        int horizon = backtestHorizon(n);
        double scale = Accuracy.maseScale(y, period);
        // every distinct model is fitted once per origin; combinations reuse their members' fits
        for (int training : backtestCuts(n, period)) {
            double[] past = Arrays.copyOf(y, training);
            Map<Forecaster, FittedModel> fitted = new LinkedHashMap<>();
            full.forEach((base, model) -> fitted.put(base, fitAtOrigin(base, model, past, period)));
            double[] errors = new double[size];
            for (int c = 0; c < size; c++) {
                FittedModel model = c == candidates.size() ? prefitted.fittedOn(training)
                    : model(candidates.get(c), fitted);
                if (model == null) {
                    // no prefitted model at this origin: it cannot prove itself, so it cannot win
                    errors[c] = Double.POSITIVE_INFINITY;
                    result.accuracyByCandidate.get(c).add(null);
                    continue;
                }
                Forecast forecast = model.forecast(horizon, COVERAGE_LOWER, COVERAGE_UPPER);
                double[] lower = forecast.quantile(COVERAGE_LOWER);
                double[] upper = forecast.quantile(COVERAGE_UPPER);
                double[] actuals = Arrays.copyOfRange(y, training, training + horizon);
                result.accuracyByCandidate.get(c).add(Accuracy.of(past, period, actuals, forecast.mean(), lower, upper));
                for (int h = 0; h < horizon; h++) {
                    double actual = y[training + h];
                    errors[c] += Math.abs(actual - forecast.mean()[h]) / scale;
                    if (actual >= lower[h] && actual <= upper[h]) {
                        result.covered[c]++;
                    }
                }
            }
            result.errorsByOrigin.add(errors);
            result.points += horizon;
        }
        return result;
    }

    private static List<Forecaster> baseModels(List<Forecaster> candidates) {
        List<Forecaster> bases = new ArrayList<>();
        for (Forecaster candidate : candidates) {
            List<Forecaster> parts = candidate instanceof Combination combination ? combination.members() : List.of(candidate);
            for (Forecaster part : parts) {
                if (!bases.contains(part)) {
                    bases.add(part);
                }
            }
        }
        return bases;
    }

    /** The winning model refitted on the whole history, with its backtest MASE and P10-P90 coverage. */
    private record Selected(FittedModel chosen, double backtestMase, double backtestCoverage) implements FittedModel {

        @Override
        public Provenance provenance() {
            Map<String, Double> parameters = new LinkedHashMap<>(chosen.provenance().parameters());
            parameters.put("backtestMase", backtestMase);
            parameters.put("backtestCoverageP10P90", backtestCoverage);
            return new Provenance(chosen.provenance().model(), parameters, chosen.provenance().seed());
        }

        @Override
        public double[] pointForecast(int horizon) {
            return chosen.pointForecast(horizon);
        }

        @Override
        public double[] forecastStandardDeviation(int horizon) {
            return chosen.forecastStandardDeviation(horizon);
        }

        @Override
        public double floor() {
            return chosen.floor();
        }
    }
}
