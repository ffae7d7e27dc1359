package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class GlobalRegressionForecasterTest {

    private static final int PERIOD = 4;

    @Test
    void aModelLearnedAcrossSeriesForecastsASharedSeasonalShape() {
        // given series of very different sizes sharing one seasonal shape
        Random random = new Random(17);
        List<double[]> histories = new ArrayList<>();
        List<double[]> futures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double level = 10 * (i + 1);
            double[] all = Series.seasonal(48, PERIOD, level, 0.3);
            for (int t = 0; t < all.length; t++) {
                all[t] *= 1 + 0.01 * random.nextGaussian();
            }
            histories.add(Arrays.copyOf(all, 40));
            futures.add(Arrays.copyOfRange(all, 40, 48));
        }

        List<FittedModel> models = new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(PERIOD, 1))
            .fitAll(histories, PERIOD);

        double naiveError = 0;
        double globalError = 0;
        for (int i = 0; i < histories.size(); i++) {
            double[] flat = new double[8];
            Arrays.fill(flat, histories.get(i)[39]);
            naiveError += Series.maxAbsoluteDifference(flat, futures.get(i)) / Series.mean(futures.get(i));
            globalError += Series.maxAbsoluteDifference(models.get(i).pointForecast(8), futures.get(i)) / Series.mean(futures.get(i));
        }
        assertThat(globalError).isLessThan(naiveError / 3);
    }

    @Test
    void theSameSeriesAndSeedGiveIdenticalForecasts() {
        Random random = new Random(19);
        List<double[]> histories = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            histories.add(Series.whiteNoise(30, 50 + i, 5, random));
        }
        GlobalRegressionForecaster.Config config = GlobalRegressionForecaster.Config.linear(PERIOD, 99);

        List<FittedModel> first = new GlobalRegressionForecaster(config).fitAll(histories, PERIOD);
        List<FittedModel> second = new GlobalRegressionForecaster(config).fitAll(histories, PERIOD);

        for (int i = 0; i < histories.size(); i++) {
            assertThat(second.get(i).pointForecast(6)).containsExactly(first.get(i).pointForecast(6));
            assertThat(second.get(i).provenance()).isEqualTo(first.get(i).provenance());
        }
        assertThat(first.getFirst().provenance().seed()).isEqualTo(99);
    }
}
