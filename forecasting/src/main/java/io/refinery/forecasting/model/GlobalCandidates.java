package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One global model learned across a whole panel of series, offered to each series' selection as one
 * more candidate ({@link AutoForecaster.PrefittedCandidate}). Backtesting it fairly means learning
 * it again at every origin, with every series cut where its own backtest cuts it, so that no origin
 * sees the values it is scored on. That is one training per origin plus one on the full histories,
 * shared by all series, instead of one per series.
 */
public final class GlobalCandidates {

    /** Newest periods of a series a training learns from, at most; keeps each training a few hundred thousand examples. */
    static final int EXAMPLES_IN_ALL = 200_000;

    private final List<Map<Integer, FittedModel>> modelsBySeries;

    private GlobalCandidates(List<Map<Integer, FittedModel>> modelsBySeries) {
        this.modelsBySeries = modelsBySeries;
    }

    /**
     * Learns the global model at each cut of each series.
     *
     * @param series         the panel, oldest value first
     * @param prices         average selling price per period and series (NaN where unknown), or null
     * @param startPositions season position of each series' first value
     * @param periods        the seasonal period each series' selection uses (short series use 1)
     * @param period         the panel's seasonal period, for the global model's features
     * @param selector       the selection the candidates take part in: its backtest cuts are the origins
     */
    public static GlobalCandidates fit(GlobalRegressionForecaster forecaster, List<double[]> series, List<double[]> prices,
                                       int[] startPositions, int[] periods, int period, AutoForecaster selector) {
        int count = series.size();
        List<int[]> cutsBySeries = new ArrayList<>(count);
        int rounds = 0;
        for (int i = 0; i < count; i++) {
            int n = series.get(i).length;
            int[] backtest = selector.backtestCuts(n, periods[i]);
            int[] cuts = new int[backtest.length + 1];
            cuts[0] = n;
            System.arraycopy(backtest, 0, cuts, 1, backtest.length);
            cutsBySeries.add(cuts);
            rounds = Math.max(rounds, cuts.length);
        }
        int examplesPerSeries = Math.max(1, EXAMPLES_IN_ALL / Math.max(1, count));
        List<Map<Integer, FittedModel>> models = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            models.add(new HashMap<>());
        }
        // round 0 learns on the full histories, round k on every series cut at its k-th origin
        for (int round = 0; round < rounds; round++) {
            List<Integer> members = new ArrayList<>();
            List<double[]> cut = new ArrayList<>();
            List<double[]> cutPrices = prices == null ? null : new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int[] cuts = cutsBySeries.get(i);
                if (round < cuts.length) {
                    members.add(i);
                    cut.add(Arrays.copyOf(series.get(i), cuts[round]));
                    if (cutPrices != null) {
                        cutPrices.add(Arrays.copyOf(prices.get(i), cuts[round]));
                    }
                }
            }
            if (cut.stream().noneMatch(y -> y.length > forecaster.lags())) {
                continue; // nothing to learn from at this origin: the series have no candidate there
            }
            int[] starts = members.stream().mapToInt(i -> startPositions[i]).toArray();
            List<FittedModel> fitted = forecaster.fitAll(cut, cutPrices, starts, period, examplesPerSeries);
            for (int k = 0; k < members.size(); k++) {
                int i = members.get(k);
                models.get(i).put(cutsBySeries.get(i)[round], fitted.get(k));
            }
        }
        return new GlobalCandidates(models);
    }

    /** Series {@code index}'s candidate, for {@link AutoForecaster#select(double[], int, AutoForecaster.PrefittedCandidate)}. */
    public AutoForecaster.PrefittedCandidate forSeries(int index) {
        Map<Integer, FittedModel> byCut = modelsBySeries.get(index);
        return byCut::get;
    }
}
