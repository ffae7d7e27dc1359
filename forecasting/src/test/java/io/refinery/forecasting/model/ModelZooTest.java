package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ModelZooTest {

    private static final int PERIOD = 12;

    @Test
    void seasonalNaiveRepeatsAnExactSeasonalPattern() {
        // given a noise-free season observed for five years and the sixth year to come
        double[] all = Series.seasonal(72, PERIOD, 100, 0.3);
        double[] history = Arrays.copyOf(all, 60);
        double[] future = Arrays.copyOfRange(all, 60, 72);

        // when
        double[] forecast = Forecasters.seasonalNaive().fit(history, PERIOD).pointForecast(12);

        // then
        assertThat(Series.maxAbsoluteDifference(forecast, future)).isLessThan(1e-9);
    }

    @Test
    void etsForecastsAnExactSeasonalPatternWithNearZeroError() {
        double[] all = Series.seasonal(78, PERIOD, 100, 0.3);
        double[] history = Arrays.copyOf(all, 60);
        double[] future = Arrays.copyOfRange(all, 60, 78);

        FittedModel model = Forecasters.ets().fit(history, PERIOD);

        assertThat(model.provenance().model()).doesNotEndWith(",N)");
        assertThat(Series.maxAbsoluteDifference(model.pointForecast(18), future)).isLessThan(0.5);
    }

    @Test
    void etsRecoversAPureLinearTrend() {
        double[] history = Series.line(40, 50, 2.5);

        FittedModel model = Forecasters.ets().fit(history, 1);
        double[] forecast = model.pointForecast(10);

        assertThat(model.provenance().model()).contains(",A,");
        for (int h = 0; h < 10; h++) {
            assertThat(forecast[h]).isCloseTo(50 + 2.5 * (40 + h), within(0.5));
        }
    }

    @Test
    void thetaFindsMultiplicativeSeasonalityAndForecastsTheLevel() {
        Random random = new Random(7);
        double[] season = Series.seasonal(96, PERIOD, 1, 0.4);
        double[] history = new double[96];
        for (int t = 0; t < history.length; t++) {
            history[t] = season[t] * (500 + 10 * random.nextGaussian());
        }

        FittedModel model = Forecasters.theta().fit(history, PERIOD);
        double[] forecast = model.pointForecast(12);

        assertThat(model.provenance().parameters()).containsEntry("seasonal", 1.0);
        double[] expected = Arrays.copyOfRange(Series.seasonal(108, PERIOD, 500, 0.4), 96, 108);
        for (int h = 0; h < 12; h++) {
            assertThat(forecast[h]).isCloseTo(expected[h], within(0.06 * expected[h]));
        }
    }

    @Test
    void crostonFamilyForecastsTheAverageDemandRate() {
        Random random = new Random(11);
        double[] history = Series.intermittent(200, 0.25, 8, random);
        double rate = Series.mean(history);

        for (Forecaster forecaster : new Forecaster[] {Forecasters.croston(), Forecasters.sba(), Forecasters.tsb()}) {
            double forecast = forecaster.fit(history, 1).pointForecast(1)[0];
            assertThat(forecast).as(forecaster.name()).isCloseTo(rate, within(0.4 * rate));
        }
    }

    @Test
    void tsbLetsTheForecastOfAnItemThatStoppedSellingDecay() {
        double[] history = new double[60];
        for (int t = 0; t < 30; t += 3) {
            history[t] = 6;
        }

        double croston = Forecasters.croston().fit(history, 1).pointForecast(1)[0];
        double tsb = Forecasters.tsb().fit(history, 1).pointForecast(1)[0];

        assertThat(tsb).isLessThan(croston / 4);
    }

    @Test
    void combinationAveragesItsMembersForecasts() {
        double[] history = Series.line(30, 10, 1);
        Forecaster combination = Forecasters.mean(Forecasters.seasonalNaive(), Forecasters.ets());

        double[] combined = combination.fit(history, 1).pointForecast(3);
        double[] naive = Forecasters.seasonalNaive().fit(history, 1).pointForecast(3);
        double[] ets = Forecasters.ets().fit(history, 1).pointForecast(3);

        for (int h = 0; h < 3; h++) {
            assertThat(combined[h]).isCloseTo((naive[h] + ets[h]) / 2, within(1e-9));
        }
    }

    @Test
    void intervalsWidenWithTheHorizonAndBracketThePointForecast() {
        double[] history = Series.whiteNoise(80, 100, 5, new Random(3));

        Forecast forecast = Forecasters.combination().fit(history, 1).forecast(6, 0.1, 0.5, 0.9);

        for (int h = 0; h < 6; h++) {
            assertThat(forecast.quantile(0.1)[h]).isLessThan(forecast.quantile(0.5)[h]);
            assertThat(forecast.quantile(0.9)[h]).isGreaterThan(forecast.quantile(0.5)[h]);
        }
        assertThat(forecast.quantile(0.9)[5] - forecast.quantile(0.1)[5])
            .isGreaterThanOrEqualTo(forecast.quantile(0.9)[0] - forecast.quantile(0.1)[0]);
    }
}
