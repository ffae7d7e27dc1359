package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DemandFeaturesTest {

    private static final DemandFeatures FEATURES = DemandFeatures.withPrices(14, 7);

    private static double[] demand(int length, Random random) {
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] = 20 + 5 * Math.sin(2 * Math.PI * t / 7) + random.nextGaussian();
        }
        return y;
    }

    private static double[] prices(int length, Random random) {
        double[] p = new double[length];
        for (int t = 0; t < length; t++) {
            p[t] = random.nextDouble() < 0.1 ? Double.NaN : (t % 20 < 4 ? 8.0 : 10.0);
        }
        return p;
    }

    @Test
    void trainingAndScoringSeeTheSameFeaturesForTheSamePeriod() {
        Random random = new Random(1);
        double[] y = demand(120, random);
        double[] p = prices(120, random);
        for (int t = FEATURES.lags(); t < y.length; t++) {
            // training builds period t's example from the whole stored series
            double[] training = FEATURES.at(y, p, t, t);
            // scoring at origin t only has the history up to t - 1
            double[] scoring = FEATURES.at(Arrays.copyOf(y, t), Arrays.copyOf(p, t), t, t);
            assertThat(scoring).as("period %d", t).containsExactly(training);
        }
    }

    @Test
    void featuresOfAPeriodIgnoreThatPeriodAndEverythingAfterIt() {
        Random random = new Random(2);
        double[] y = demand(80, random);
        double[] p = prices(80, random);
        int t = 40;
        double[] before = FEATURES.at(y, p, t, t);

        double[] futureDemand = y.clone();
        double[] futurePrices = p.clone();
        for (int s = t; s < y.length; s++) {
            futureDemand[s] = 1e6 * (s + 1);
            futurePrices[s] = s % 2 == 0 ? 0.01 : Double.NaN;
        }

        assertThat(FEATURES.at(futureDemand, futurePrices, t, t)).containsExactly(before);
    }

    @Test
    void lastKnownPriceIsComparedWithTheLagWindowAndCarriedOverGaps() {
        double[] y = new double[30];
        Arrays.fill(y, 10);
        double[] p = new double[30];
        Arrays.fill(p, 10.0);
        p[27] = 7.5;                 // a discounted day
        p[28] = Double.NaN;          // then nothing sold
        p[29] = Double.NaN;
        List<String> names = Arrays.asList(FEATURES.names());

        double[] features = FEATURES.at(y, p, 30, 0);

        double reference = (11 * 10.0 + 7.5) / 12;  // the 12 known prices among the 14 lags
        assertThat(features[names.indexOf("priceLag1")]).isCloseTo(7.5 / reference - 1, within(1e-12));
        assertThat(features[names.indexOf("priceChange")]).isCloseTo(-0.25, within(1e-12));
    }

    @Test
    void withoutPricesThePriceFeaturesAreZeroAndWithoutPriceDefinitionTheyAreAbsent() {
        double[] y = demand(40, new Random(3));
        List<String> names = Arrays.asList(FEATURES.names());

        double[] features = FEATURES.at(y, null, 30, 0);

        assertThat(features[names.indexOf("priceLag1")]).isZero();
        assertThat(features[names.indexOf("priceChange")]).isZero();
        assertThat(DemandFeatures.of(14, 7).names()).doesNotContain("priceLag1", "priceChange");
    }

    @Test
    void aPeriodWithoutAFullLagWindowIsRejected() {
        assertThatThrownBy(() -> FEATURES.at(new double[20], null, 13, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGlobalModelUsesLaggedPricesToForecastAPostPromotionDip() {
        // demand falls by 40% on the day after a discounted day (customers stocked up), a lagged price effect
        Random random = new Random(4);
        List<double[]> series = new ArrayList<>();
        List<double[]> prices = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double[] p = new double[200];
            double[] y = new double[200];
            for (int t = 0; t < 200; t++) {
                p[t] = random.nextDouble() < 0.15 ? 7.0 : 10.0;
                double base = 50 + 10 * i % 30;
                y[t] = base * (t > 0 && p[t - 1] < 10 ? 0.6 : 1.0) * (1 + 0.02 * random.nextGaussian());
            }
            series.add(y);
            prices.add(p);
        }
        GlobalRegressionForecaster forecaster = new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(7, 42L));
        int[] starts = new int[series.size()];
        List<double[]> trainSeries = series.stream().map(y -> Arrays.copyOf(y, 199)).toList();
        List<double[]> trainPrices = prices.stream().map(p -> Arrays.copyOf(p, 199)).toList();

        List<FittedModel> withPrices = forecaster.fitAll(trainSeries, trainPrices, starts, 7);
        List<FittedModel> without = forecaster.fitAll(trainSeries, null, starts, 7);

        double errorWith = 0;
        double errorWithout = 0;
        for (int i = 0; i < series.size(); i++) {
            double actual = series.get(i)[199];
            errorWith += Math.abs(withPrices.get(i).pointForecast(1)[0] - actual) / actual;
            errorWithout += Math.abs(without.get(i).pointForecast(1)[0] - actual) / actual;
        }
        assertThat(withPrices.getFirst().provenance().parameters()).containsEntry("priceFeatures", 1.0);
        assertThat(errorWith).isLessThan(0.6 * errorWithout);
    }
}
