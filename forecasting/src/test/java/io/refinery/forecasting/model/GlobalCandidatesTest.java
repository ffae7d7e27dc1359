package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class GlobalCandidatesTest {

    private static final int HORIZON = 4;
    private static final int LENGTH = 48;

    private final AutoForecaster selector = new AutoForecaster(SelectionConfig.defaults(HORIZON).withParallelism(1));
    private final GlobalRegressionForecaster global =
        new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(1, 7));

    /** Short series alternating above and below their level: with no season declared, no ETS or Theta form fits it. */
    private static List<double[]> alternating(int count, long seed) {
        Random random = new Random(seed);
        List<double[]> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double level = 50 + 10 * i;
            double[] y = new double[LENGTH];
            for (int t = 0; t < LENGTH; t++) {
                y[t] = level * (1 + (t % 2 == 0 ? 0.2 : -0.2) + 0.01 * random.nextGaussian());
            }
            series.add(y);
        }
        return series;
    }

    /** The global model at every origin of every series, none of them seasonal. */
    private GlobalCandidates fitNonSeasonal(List<double[]> series) {
        int[] periods = new int[series.size()];
        Arrays.fill(periods, 1);
        return GlobalCandidates.fit(global, series, null, new int[series.size()], periods, 1, selector);
    }

    @Test
    void theGlobalModelWinsTheSelectionWhereTheSeriesShareAPatternNoLocalModelHas() {
        List<double[]> series = alternating(40, 3);

        GlobalCandidates candidates = fitNonSeasonal(series);

        int chosen = 0;
        for (int i = 0; i < series.size(); i++) {
            AutoForecaster.Selection local = selector.select(series.get(i), 1);
            AutoForecaster.Selection withGlobal = selector.select(series.get(i), 1, candidates.forSeries(i));
            if (withGlobal.model().provenance().model().startsWith("Global")) {
                chosen++;
                assertThat(withGlobal.backtest().mase()).isLessThan(local.backtest().mase());
            }
        }
        assertThat(chosen).isGreaterThan(series.size() * 3 / 4);
    }

    @Test
    void eachOriginsModelIsLearnedWithoutTheValuesItIsScoredOn() {
        List<double[]> series = alternating(10, 5);
        GlobalCandidates candidates = fitNonSeasonal(series);
        // the same panel with every value after the first origin's cut replaced: that origin's model must not change
        int cut = selector.backtestCuts(LENGTH, 1)[0];
        List<double[]> altered = new ArrayList<>();
        for (double[] y : series) {
            double[] copy = y.clone();
            Arrays.fill(copy, cut, LENGTH, 1e6);
            altered.add(copy);
        }
        GlobalCandidates alteredCandidates = fitNonSeasonal(altered);

        for (int i = 0; i < series.size(); i++) {
            assertThat(alteredCandidates.forSeries(i).fittedOn(cut).pointForecast(HORIZON))
                .containsExactly(candidates.forSeries(i).fittedOn(cut).pointForecast(HORIZON));
            assertThat(alteredCandidates.forSeries(i).fittedOn(LENGTH).pointForecast(HORIZON))
                .isNotEqualTo(candidates.forSeries(i).fittedOn(LENGTH).pointForecast(HORIZON));
        }
        assertThat(candidates.forSeries(0).fittedOn(LENGTH - 1)).as("no model at a length that is not a cut").isNull();
    }
}
