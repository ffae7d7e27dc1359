package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Forecast combination: the median (robust to one bad member) or mean of the members' point
 * forecasts. Combining diverse models is the most reliable single improvement in the M competitions.
 * The spread is the members' mean standard deviation, which assumes fully correlated member errors
 * and so errs on the wide side.
 */
record Combination(String name, List<Forecaster> members, boolean median) implements Forecaster {

    Combination {
        if (members.size() < 2) {
            throw new IllegalArgumentException("a combination needs at least two members");
        }
        members = List.copyOf(members);
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        List<FittedModel> fitted = new ArrayList<>();
        for (Forecaster member : members) {
            fitted.add(member.fit(history, seasonalPeriod));
        }
        return combine(fitted);
    }

    /** Combines already fitted members (in the order of {@link #members()}), so a backtest can reuse member fits. */
    FittedModel combine(List<FittedModel> fitted) {
        return new Model(name, median, List.copyOf(fitted));
    }

    private record Model(String name, boolean median, List<FittedModel> members) implements FittedModel {

        @Override
        public Provenance provenance() {
            String model = name + members.stream().map(m -> m.provenance().model()).collect(Collectors.joining(",", "(", ")"));
            return Provenance.deterministic(model, Map.of("members", (double) members.size()));
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[][] forecasts = members.stream().map(m -> m.pointForecast(horizon)).toArray(double[][]::new);
            double[] combined = new double[horizon];
            double[] column = new double[forecasts.length];
            for (int h = 0; h < horizon; h++) {
                for (int i = 0; i < forecasts.length; i++) {
                    column[i] = forecasts[i][h];
                }
                combined[h] = median ? median(column) : Arrays.stream(column).average().orElseThrow();
            }
            return combined;
        }

        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            for (FittedModel member : members) {
                double[] memberSd = member.forecastStandardDeviation(horizon);
                for (int h = 0; h < horizon; h++) {
                    sd[h] += memberSd[h] / members.size();
                }
            }
            return sd;
        }

        @Override
        public double floor() {
            return members.stream().mapToDouble(FittedModel::floor).max().orElseThrow();
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
