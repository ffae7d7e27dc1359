package io.refinery.forecasting.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ArimaTest {

    /** x_t = c + phi x_{t-1} + e_t + theta e_{t-1}, with a burn-in so the start does not matter. */
    private static double[] arma11(int length, double phi, double theta, double mean, Random random) {
        double[] y = new double[length];
        double previous = 0;
        double previousError = 0;
        for (int t = -200; t < length; t++) {
            double error = random.nextGaussian();
            double value = phi * previous + error + theta * previousError;
            if (t >= 0) {
                y[t] = mean + value;
            }
            previous = value;
            previousError = error;
        }
        return y;
    }

    @Test
    void cssFitRecoversKnownArAndMaCoefficients() {
        double[] y = arma11(2000, 0.7, 0.4, 50, new Random(1));

        Arima.Model model = Arima.fitOrder(y, new Arima.Order(1, 0, 1, 0, 0, 0, 1, true));

        assertThat(model.ar()[0]).isCloseTo(0.7, within(0.05));
        assertThat(model.ma()[0]).isCloseTo(0.4, within(0.06));
        assertThat(model.mean()).isCloseTo(50, within(0.5));
        assertThat(model.sigma2()).isCloseTo(1.0, within(0.1));
    }

    /**
     * AICc over-selects now and then (a spurious extra term passes its penalty in roughly one sample of
     * six per extra order tried), so the selected order is judged over several samples. The impulse
     * response, which equivalent over-parameterised models share, must match the process on average over
     * the samples and roughly in each one.
     */
    @Test
    void stepwiseSearchRecoversAPureAutoregression() {
        int exact = 0;
        double[] meanPsi = new double[6];
        for (int seed = 1; seed <= 8; seed++) {
            double[] y = arma11(600, 0.8, 0, 100, new Random(seed));

            Arima.Model model = (Arima.Model) Forecasters.arima().fit(y, 1);

            exact += model.provenance().model().startsWith("ARIMA(1,0,0)") ? 1 : 0;
            double[] psi = model.psi(6);
            for (int j = 1; j < 6; j++) {
                assertThat(psi[j]).as("psi %d, seed %d", j, seed).isCloseTo(Math.pow(0.8, j), within(0.2));
                meanPsi[j] += psi[j] / 8;
            }
            // forecasts decay geometrically to the mean
            assertThat(model.pointForecast(60)[59]).isCloseTo(100, within(1.5));
        }
        for (int j = 1; j < 6; j++) {
            assertThat(meanPsi[j]).as("mean psi %d", j).isCloseTo(Math.pow(0.8, j), within(0.05));
        }
        assertThat(exact).isGreaterThanOrEqualTo(5);
    }

    @Test
    void stepwiseSearchRecoversAPureMovingAverage() {
        int exact = 0;
        double[] meanPsi = new double[5];
        for (int seed = 1; seed <= 8; seed++) {
            double[] y = arma11(2000, 0, 0.7, 10, new Random(seed));

            Arima.Model model = (Arima.Model) Forecasters.arima().fit(y, 1);

            exact += model.provenance().model().startsWith("ARIMA(0,0,1)") ? 1 : 0;
            double[] psi = model.psi(5);
            assertThat(psi[1]).as("psi 1, seed %d", seed).isCloseTo(0.7, within(0.1));
            for (int j = 1; j < 5; j++) {
                assertThat(psi[j]).as("psi %d, seed %d", j, seed).isCloseTo(j == 1 ? 0.7 : 0, within(0.15));
                meanPsi[j] += psi[j] / 8;
            }
        }
        for (int j = 1; j < 5; j++) {
            assertThat(meanPsi[j]).as("mean psi %d", j).isCloseTo(j == 1 ? 0.7 : 0, within(0.04));
        }
        assertThat(exact).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aRandomWalkWithDriftIsDifferencedOnceAndKeepsItsDrift() {
        Random random = new Random(4);
        double[] y = new double[400];
        for (int t = 1; t < y.length; t++) {
            y[t] = y[t - 1] + 2 + random.nextGaussian();
        }

        FittedModel model = Forecasters.arima().fit(y, 1);

        assertThat(model.provenance().model()).startsWith("ARIMA(").contains(",1,").endsWith("with drift");
        assertThat(model.provenance().parameters().get("drift")).isCloseTo(2, within(0.2));
        double[] forecast = model.pointForecast(10);
        assertThat(forecast[9] - forecast[0]).isCloseTo(18, within(2.0));
        // the random walk's uncertainty grows with the square root of the horizon
        double[] sd = model.forecastStandardDeviation(16);
        assertThat(sd[15] / sd[0]).isCloseTo(4, within(0.6));
    }

    @Test
    void anExactSeasonalSignalIsSeasonallyDifferencedAndRepeated() {
        double[] y = Series.seasonal(96, 12, 100, 0.3);
        Random random = new Random(5);
        for (int t = 0; t < y.length; t++) {
            y[t] += 0.5 * random.nextGaussian();
        }

        FittedModel model = Forecasters.arima().fit(y, 12);

        assertThat(model.provenance().model()).contains(",1,").contains("[12]");
        double[] truth = Series.seasonal(96 + 12, 12, 100, 0.3);
        double[] forecast = model.pointForecast(12);
        for (int h = 0; h < 12; h++) {
            assertThat(forecast[h]).isCloseTo(truth[96 + h], within(2.5));
        }
    }

    @Test
    void stationarityCheckUsesTheReflectionCoefficients() {
        assertThat(Arima.isStationary(new double[] {0.5})).isTrue();
        assertThat(Arima.isStationary(new double[] {1.01})).isFalse();
        // 1 - 1.2 z + 0.5 z^2 has complex roots of modulus sqrt(2): stationary despite phi1 > 1
        assertThat(Arima.isStationary(new double[] {1.2, -0.5})).isTrue();
        // 1 - 0.5 z - 0.6 z^2 has a root inside the unit circle
        assertThat(Arima.isStationary(new double[] {0.5, 0.6})).isFalse();
    }

    @Test
    void fittingIsDeterministic() {
        double[] y = arma11(300, 0.5, 0.3, 20, new Random(6));

        double[] first = Forecasters.arima().fit(y, 1).pointForecast(6);
        double[] second = Forecasters.arima().fit(y, 1).pointForecast(6);

        assertThat(first).containsExactly(second);
    }
}
