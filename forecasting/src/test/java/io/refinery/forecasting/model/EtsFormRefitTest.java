package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EtsFormRefitTest {

    private final EtsForecaster ets = (EtsForecaster) Forecasters.ets();

    @Test
    void aBacktestOriginReEstimatesTheFormChosenOnTheWholeSeriesOnItsOwnValues() {
        Random random = new Random(11);
        double[] y = Series.seasonal(280, 7, 100, 0.3);
        for (int t = 0; t < y.length; t++) {
            y[t] += random.nextGaussian();
        }
        double[] past = Arrays.copyOf(y, 240);

        FittedModel full = ets.fit(y, 7);
        FittedModel refitted = ets.refitForm(full, past, 7);

        assertThat(refitted.provenance().model()).isEqualTo(full.provenance().model()).contains(",A)");
        // its own estimate on the shorter series, not the whole series' model
        assertThat(refitted.provenance().parameters()).isNotEqualTo(full.provenance().parameters());
        assertThat(Series.maxAbsoluteDifference(refitted.pointForecast(7), Arrays.copyOfRange(y, 240, 247)))
            .isLessThan(10);
    }

    @Test
    void aFormTheShorterSeriesCannotCarryFallsBackToAFullChoice() {
        double[] y = Series.seasonal(60, 12, 100, 0.3);
        FittedModel full = ets.fit(y, 12);
        // 20 values cannot estimate a 12-period season: the choice is made again among the forms that fit
        FittedModel refitted = ets.refitForm(full, Arrays.copyOf(y, 20), 12);
        assertThat(full.provenance().model()).doesNotEndWith(",N)");
        assertThat(refitted.provenance().model()).endsWith(",N)");
    }
}
