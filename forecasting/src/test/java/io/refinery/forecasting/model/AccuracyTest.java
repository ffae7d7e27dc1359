package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void metricsFollowTheCompetitionDefinitions() {
        // given a history whose lag-2 seasonal differences are all 2, so the MASE scale is 2
        double[] history = {10, 20, 12, 22, 14, 24};
        double[] actual = {100, 50};
        double[] forecast = {110, 40};

        Accuracy accuracy = Accuracy.of(history, 2, actual, forecast, new double[] {90, 45}, new double[] {95, 60});

        assertThat(accuracy.smape()).isCloseTo((200.0 * 10 / 210 + 200.0 * 10 / 90) / 2, within(1e-9));
        assertThat(accuracy.mase()).isCloseTo(10.0 / 2, within(1e-9));
        assertThat(accuracy.wape()).isCloseTo(100.0 * 20 / 150, within(1e-9));
        assertThat(accuracy.bias()).isCloseTo(0, within(1e-9));
        assertThat(accuracy.coverage()).isCloseTo(50, within(1e-9));
    }

    @Test
    void summaryAveragesPerSeriesScoresAndPoolsVolumes() {
        Accuracy a = new Accuracy(10, 1, 10, 10, 100, 1, 2);
        Accuracy b = new Accuracy(20, 3, 30, -10, 100, 2, 2);

        Accuracy summary = Accuracy.summarise(List.of(a, b));

        assertThat(summary.smape()).isCloseTo(15, within(1e-9));
        assertThat(summary.mase()).isCloseTo(2, within(1e-9));
        assertThat(summary.wape()).isCloseTo(20, within(1e-9));
        assertThat(summary.bias()).isCloseTo(0, within(1e-9));
        assertThat(summary.coverage()).isCloseTo(75, within(1e-9));
    }
}
