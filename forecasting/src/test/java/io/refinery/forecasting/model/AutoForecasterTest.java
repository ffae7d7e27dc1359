package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AutoForecasterTest {

    @Test
    void selectionPicksTheTrendModelOnAPureTrend() {
        // given candidates where the default (naive) cannot follow a trend
        SelectionConfig config = SelectionConfig.defaults(12)
            .withCandidates(List.of(Forecasters.seasonalNaive(), Forecasters.ets()));
        double[] history = Series.line(60, 20, 3);

        // when
        FittedModel model = new AutoForecaster(config).fit(history, 1);

        // then
        assertThat(model.provenance().model()).startsWith("ETS(").contains(",A,");
        assertThat(model.pointForecast(1)[0]).isCloseTo(20 + 3 * 60, within(0.5));
    }

    @Test
    void selectionKeepsTheDefaultWhenNoCandidateWinsEveryOrigin() {
        SelectionConfig config = SelectionConfig.defaults(12)
            .withCandidates(List.of(Forecasters.ets(), Forecasters.seasonalNaive()));
        double[] history = Series.line(60, 20, 3);

        FittedModel model = new AutoForecaster(config).fit(history, 1);

        assertThat(model.provenance().model()).startsWith("ETS(");
    }

    @Test
    void intermittentSeriesAreRoutedToTheCrostonFamilyWithASensibleLevel() {
        double[] history = Series.intermittent(120, 0.2, 10, new Random(5));

        FittedModel model = Forecasters.auto(12).fit(history, 12);
        Forecast forecast = model.forecast(12, 0.1, 0.9);

        assertThat(model.provenance().model()).isIn("Croston", "SBA", "TSB");
        double rate = Series.mean(history);
        assertThat(forecast.mean()[0]).isBetween(0.5 * rate, 1.5 * rate);
        assertThat(Arrays.stream(forecast.quantile(0.1)).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void provenanceReportsTheBacktestScoreAndCoverage() {
        double[] history = Series.whiteNoise(60, 50, 2, new Random(9));

        Provenance provenance = Forecasters.auto(6).fit(history, 1).provenance();

        assertThat(provenance.parameters()).containsKeys("backtestMase", "backtestCoverageP10P90");
        assertThat(provenance.parameters().get("backtestMase")).isPositive();
    }

    @Test
    void fittingInParallelGivesTheSameForecastsAsFittingOneByOneAndIsReproducible() {
        Random random = new Random(13);
        List<double[]> series = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double[] season = Series.seasonal(60, 12, 100 + 10 * i, 0.2);
            double[] noisy = Series.whiteNoise(60, 0, 3, random);
            for (int t = 0; t < 60; t++) {
                noisy[t] += season[t];
            }
            series.add(noisy);
        }
        AutoForecaster auto = new AutoForecaster(SelectionConfig.defaults(12).withParallelism(2));

        List<FittedModel> parallel = auto.fitAll(series, 12);
        List<FittedModel> again = auto.fitAll(series, 12);

        for (int i = 0; i < series.size(); i++) {
            double[] sequential = auto.fit(series.get(i), 12).pointForecast(12);
            assertThat(parallel.get(i).pointForecast(12)).containsExactly(sequential);
            assertThat(again.get(i).forecast(12, 0.1, 0.9).quantile(0.9))
                .containsExactly(parallel.get(i).forecast(12, 0.1, 0.9).quantile(0.9));
        }
    }

    @Test
    void configurationRejectsMeaninglessValues() {
        assertThatThrownBy(() -> new SelectionConfig(0, 3, List.of(Forecasters.theta()), List.of(Forecasters.sba()), 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SelectionConfig(12, 0, List.of(Forecasters.theta()), List.of(Forecasters.sba()), 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Intermittent(Intermittent.Variant.SBA, 0, 0.1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forecasters.median(Forecasters.theta()))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
