package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IntervalCoverageTest {

    private static final int SERIES = 300;
    private static final int HORIZON = 6;

    @Test
    void etsP10ToP90IntervalsCoverAboutEightyPercentOfWhiteNoise() {
        Random random = new Random(21);
        double coverage = coverage(Forecasters.ets(), () -> Series.whiteNoise(60 + HORIZON, 100, 10, random));

        assertThat(coverage).isBetween(0.74, 0.86);
    }

    @Test
    void etsP10ToP90IntervalsCoverAboutEightyPercentOfARandomWalk() {
        Random random = new Random(22);
        double coverage = coverage(Forecasters.ets(), () -> {
            double[] y = new double[60 + HORIZON];
            y[0] = 1000;
            for (int t = 1; t < y.length; t++) {
                y[t] = y[t - 1] + 10 * random.nextGaussian();
            }
            return y;
        });

        assertThat(coverage).isBetween(0.72, 0.88);
    }

    private static double coverage(Forecaster forecaster, java.util.function.Supplier<double[]> simulate) {
        int covered = 0;
        for (int i = 0; i < SERIES; i++) {
            double[] all = simulate.get();
            double[] history = Arrays.copyOf(all, all.length - HORIZON);
            Forecast forecast = forecaster.fit(history, 1).forecast(HORIZON, 0.1, 0.9);
            for (int h = 0; h < HORIZON; h++) {
                double actual = all[history.length + h];
                if (actual >= forecast.quantile(0.1)[h] && actual <= forecast.quantile(0.9)[h]) {
                    covered++;
                }
            }
        }
        return (double) covered / (SERIES * HORIZON);
    }
}
