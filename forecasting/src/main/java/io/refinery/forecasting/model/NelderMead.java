package io.refinery.forecasting.model;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Derivative-free Nelder–Mead minimiser. Likelihoods of exponential-smoothing models are cheap but
 * not smooth at their bounds, which is why R's {@code ets} uses the same method.
 */
final class NelderMead {

    private NelderMead() {
    }

    /** Minimises {@code objective} from {@code start}, using {@code step} as the initial simplex size. */
    static double[] minimise(ToDoubleFunction<double[]> objective, double[] start, double step, int maxEvaluations) {
        int dim = start.length;
        double[][] simplex = new double[dim + 1][];
        double[] values = new double[dim + 1];
        simplex[0] = start.clone();
        for (int i = 0; i < dim; i++) {
            simplex[i + 1] = start.clone();
            simplex[i + 1][i] += step;
        }
        for (int i = 0; i <= dim; i++) {
            values[i] = safe(objective.applyAsDouble(simplex[i]));
        }
        int evaluations = dim + 1;
        Integer[] order = new Integer[dim + 1];
        while (evaluations < maxEvaluations) {
            for (int i = 0; i <= dim; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
            int best = order[0];
            int worst = order[dim];
            int secondWorst = order[dim - 1];
            if (Math.abs(values[worst] - values[best]) <= 1e-8 * (Math.abs(values[best]) + 1e-8)) {
                break;
            }
            double[] centroid = new double[dim];
            for (int i = 0; i <= dim; i++) {
                if (i != worst) {
                    for (int j = 0; j < dim; j++) {
                        centroid[j] += simplex[i][j] / dim;
                    }
                }
            }
            double[] reflected = towards(centroid, simplex[worst], -1.0);
            double reflectedValue = safe(objective.applyAsDouble(reflected));
            evaluations++;
            if (reflectedValue < values[best]) {
                double[] expanded = towards(centroid, simplex[worst], -2.0);
                double expandedValue = safe(objective.applyAsDouble(expanded));
                evaluations++;
                boolean expand = expandedValue < reflectedValue;
                simplex[worst] = expand ? expanded : reflected;
                values[worst] = expand ? expandedValue : reflectedValue;
            } else if (reflectedValue < values[secondWorst]) {
                simplex[worst] = reflected;
                values[worst] = reflectedValue;
            } else {
                boolean outside = reflectedValue < values[worst];
                double[] contracted = towards(centroid, outside ? reflected : simplex[worst], 0.5);
                double contractedValue = safe(objective.applyAsDouble(contracted));
                evaluations++;
                if (contractedValue < Math.min(reflectedValue, values[worst])) {
                    simplex[worst] = contracted;
                    values[worst] = contractedValue;
                } else {
                    for (int i = 0; i <= dim; i++) {
                        if (i != best) {
                            simplex[i] = towards(simplex[best], simplex[i], 0.5);
                            values[i] = safe(objective.applyAsDouble(simplex[i]));
                            evaluations++;
                        }
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= dim; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return simplex[best];
    }

    /** The point {@code from + factor * (to - from)}. */
    private static double[] towards(double[] from, double[] to, double factor) {
        double[] point = new double[from.length];
        for (int j = 0; j < from.length; j++) {
            point[j] = from[j] + factor * (to[j] - from[j]);
        }
        return point;
    }

    private static double safe(double value) {
        return Double.isFinite(value) ? value : Double.MAX_VALUE;
    }
}
