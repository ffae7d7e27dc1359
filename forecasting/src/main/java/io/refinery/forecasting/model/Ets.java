package io.refinery.forecasting.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One exponential-smoothing state-space model (Hyndman et al., 2008) fitted by maximum likelihood.
 * The recursions follow R's {@code forecast::ets}, so that parameters mean the same thing there.
 * Initial seasonal states come from a classical decomposition rather than the optimiser: that keeps
 * the Nelder–Mead search at no more than six dimensions, which is what makes fitting fast.
 */
final class Ets {

    enum Error { ADDITIVE, MULTIPLICATIVE }

    enum Trend { NONE, ADDITIVE, DAMPED }

    enum Season { NONE, ADDITIVE, MULTIPLICATIVE }

    record Spec(Error error, Trend trend, Season season) {

        String label() {
            return "ETS(" + letter(error.name()) + "," + switch (trend) {
                case NONE -> "N";
                case ADDITIVE -> "A";
                case DAMPED -> "Ad";
            } + "," + letter(season.name()) + ")";
        }

        private static String letter(String name) {
            return name.equals("NONE") ? "N" : name.substring(0, 1);
        }

        /** R's {@code ets} excludes additive errors with multiplicative seasonality as numerically unstable. */
        boolean admissible(boolean positiveData, boolean seasonalAllowed) {
            boolean multiplicative = error == Error.MULTIPLICATIVE || season == Season.MULTIPLICATIVE;
            if (multiplicative && !positiveData) {
                return false;
            }
            if (season != Season.NONE && !seasonalAllowed) {
                return false;
            }
            return !(error == Error.ADDITIVE && season == Season.MULTIPLICATIVE);
        }
    }

    private static final double PHI_LOW = 0.8;
    private static final double PHI_HIGH = 0.98;
    private static final int EVALUATIONS_PER_DIMENSION = 200;

    private Ets() {
    }

    /** The fitted model, or {@code null} when the series is too short to estimate its parameters. */
    static Model fit(double[] y, int period, Spec spec) {
        int n = y.length;
        int m = spec.season == Season.NONE ? 1 : period;
        if (m > 1 && n < 2 * m) {
            return null;
        }
        int parameterCount = parameterCount(spec, m);
        if (n - parameterCount - 1 <= 0) {
            return null;
        }
        double[] initialSeason = initialSeason(y, m, spec.season);
        double[] adjusted = y.clone();
        for (int t = 0; t < n; t++) {
            double s = initialSeason[m - 1 - t % m];
            adjusted[t] = spec.season == Season.MULTIPLICATIVE ? y[t] / s : spec.season == Season.ADDITIVE ? y[t] - s : y[t];
        }
        int window = Math.min(Math.max(10, 2 * m), n);
        double[] line = leastSquaresLine(adjusted, window);
        double levelScale = Math.max(standardDeviation(adjusted, window), 1e-3 * Math.abs(line[0]) + 1e-8);
        double l0 = spec.trend == Trend.NONE ? mean(adjusted, window) : line[0];
        double b0 = spec.trend == Trend.NONE ? 0 : line[1];

        Layout layout = new Layout(spec);
        double[] start = layout.start();
        double[] best = NelderMead.minimise(
            theta -> run(y, m, spec, layout.decode(theta, l0, b0, levelScale, window), initialSeason, null),
            start, 0.5, EVALUATIONS_PER_DIMENSION * start.length);
        Parameters parameters = layout.decode(best, l0, b0, levelScale, window);
        State state = new State();
        double likelihood = run(y, m, spec, parameters, initialSeason, state);
        if (!Double.isFinite(likelihood)) {
            return null;
        }
        double aicc = likelihood + 2.0 * parameterCount + 2.0 * parameterCount * (parameterCount + 1) / (n - parameterCount - 1);
        double sigma = Math.sqrt(state.sumSquaredErrors / Math.max(1, n - parameterCount));
        return new Model(spec, m, parameters, state, sigma, aicc);
    }

    /** Smoothing parameters, initial states and the noise variance, as R's {@code ets} counts them for AICc. */
    private static int parameterCount(Spec spec, int m) {
        int count = 2 + 1; // alpha, initial level, noise variance
        if (spec.trend != Trend.NONE) {
            count += 2;
        }
        if (spec.trend == Trend.DAMPED) {
            count += 1;
        }
        if (spec.season != Season.NONE) {
            count += 1 + (m - 1);
        }
        return count;
    }

    /** Initial seasonal states, most recent first as in R: {@code s[j]} belongs to time {@code -1-j}. */
    private static double[] initialSeason(double[] y, int m, Season season) {
        double[] states = new double[m];
        if (season == Season.NONE) {
            return states;
        }
        Seasonality decomposition = Seasonality.decompose(y, m, season == Season.MULTIPLICATIVE);
        for (int j = 0; j < m; j++) {
            states[j] = decomposition.isNone() ? (season == Season.MULTIPLICATIVE ? 1 : 0) : decomposition.index(-1 - j);
        }
        return states;
    }

    record Parameters(double alpha, double beta, double gamma, double phi, double level, double trend) {
    }

    /** Maps unconstrained optimiser coordinates into R's "usual" region 0 < beta < alpha, 0 < gamma < 1 - alpha. */
    private record Layout(Spec spec) {

        double[] start() {
            int size = 2 + (spec.trend != Trend.NONE ? 2 : 0) + (spec.season != Season.NONE ? 1 : 0)
                + (spec.trend == Trend.DAMPED ? 1 : 0);
            double[] start = new double[size];
            start[0] = logit(0.3);
            int i = 1;
            if (spec.trend != Trend.NONE) {
                start[i++] = logit(0.1);
            }
            if (spec.season != Season.NONE) {
                start[i++] = logit(0.1);
            }
            if (spec.trend == Trend.DAMPED) {
                start[i] = logit(0.5);
            }
            return start;
        }

        Parameters decode(double[] theta, double l0, double b0, double levelScale, int window) {
            double alpha = clamp(logistic(theta[0]));
            int i = 1;
            double beta = spec.trend != Trend.NONE ? alpha * clamp(logistic(theta[i++])) : 0;
            double gamma = spec.season != Season.NONE ? (1 - alpha) * clamp(logistic(theta[i++])) : 0;
            double phi = spec.trend == Trend.DAMPED ? PHI_LOW + (PHI_HIGH - PHI_LOW) * logistic(theta[i++]) : 1;
            double level = l0 + levelScale * theta[i++];
            double trend = spec.trend != Trend.NONE ? b0 + levelScale / window * theta[i] : 0;
            return new Parameters(alpha, beta, gamma, phi, level, trend);
        }

        private static double clamp(double p) {
            return Math.min(0.9999, Math.max(1e-4, p));
        }
    }

    static final class State {
        double level;
        double trend;
        double[] season;
        double sumSquaredErrors;
    }

    /**
     * Runs the filter over {@code y} and returns {@code -2 log likelihood} up to a constant (R's
     * {@code n log(sum e^2) + 2 sum log|f|} for multiplicative errors); fills {@code out} when given.
     */
    private static double run(double[] y, int m, Spec spec, Parameters p, double[] initialSeason, State out) {
        double level = p.level;
        double trend = p.trend;
        double[] season = initialSeason.clone();
        double sumSquares = 0;
        double sumSquaredErrors = 0;
        double sumLogForecast = 0;
        for (double observed : y) {
            double dampedTrend = p.phi * trend;
            double base = level + dampedTrend;
            double oldSeason = season[m - 1];
            double forecast = switch (spec.season) {
                case NONE -> base;
                case ADDITIVE -> base + oldSeason;
                case MULTIPLICATIVE -> base * oldSeason;
            };
            if (spec.error == Error.MULTIPLICATIVE || spec.season == Season.MULTIPLICATIVE) {
                if (!(forecast > 0) || !(base > 0)) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            double error = spec.error == Error.ADDITIVE ? observed - forecast : (observed - forecast) / forecast;
            sumSquares += error * error;
            sumSquaredErrors += (observed - forecast) * (observed - forecast);
            if (spec.error == Error.MULTIPLICATIVE) {
                sumLogForecast += Math.log(Math.abs(forecast));
            }
            double deseasonalised = switch (spec.season) {
                case NONE -> observed;
                case ADDITIVE -> observed - oldSeason;
                case MULTIPLICATIVE -> observed / oldSeason;
            };
            double oldLevel = level;
            level = base + p.alpha * (deseasonalised - base);
            if (spec.trend != Trend.NONE) {
                trend = dampedTrend + p.beta / p.alpha * (level - oldLevel - dampedTrend);
            }
            if (spec.season != Season.NONE) {
                double detrended = spec.season == Season.ADDITIVE ? observed - base : observed / base;
                System.arraycopy(season, 0, season, 1, m - 1);
                season[0] = oldSeason + p.gamma * (detrended - oldSeason);
            }
        }
        if (out != null) {
            out.level = level;
            out.trend = trend;
            out.season = season;
            out.sumSquaredErrors = spec.error == Error.ADDITIVE ? sumSquaredErrors : sumSquares;
        }
        int n = y.length;
        return n * Math.log(Math.max(sumSquares, 1e-300)) + 2 * sumLogForecast;
    }

    /** A fitted ETS model; {@code sigma} is absolute for additive and relative for multiplicative errors. */
    record Model(Spec spec, int period, Parameters parameters, State state, double sigma, double aicc)
        implements FittedModel {

        @Override
        public Provenance provenance() {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("alpha", parameters.alpha);
            if (spec.trend != Trend.NONE) {
                values.put("beta", parameters.beta);
            }
            if (spec.trend == Trend.DAMPED) {
                values.put("phi", parameters.phi);
            }
            if (spec.season != Season.NONE) {
                values.put("gamma", parameters.gamma);
            }
            values.put("sigma", sigma);
            values.put("aicc", aicc);
            return Provenance.deterministic(spec.label(), values);
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[] forecast = new double[horizon];
            double cumulativePhi = 0;
            double phiPower = 1;
            for (int h = 0; h < horizon; h++) {
                phiPower *= parameters.phi;
                cumulativePhi += phiPower;
                double base = state.level + cumulativePhi * state.trend;
                double s = state.season[period - 1 - h % period];
                forecast[h] = switch (spec.season) {
                    case NONE -> base;
                    case ADDITIVE -> base + s;
                    case MULTIPLICATIVE -> base * s;
                };
            }
            return forecast;
        }

        /**
         * Exact for additive-error models (Hyndman et al. 2008, class 1: {@code c_j = alpha + beta*phi_j +
         * gamma*[j mod m = 0]}); multiplicative errors use the same multiplier on the relative scale.
         */
        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] sd = new double[horizon];
            double[] mean = spec.error == Error.MULTIPLICATIVE ? pointForecast(horizon) : null;
            double sumSquares = 1;
            double cumulativePhi = 0;
            double phiPower = 1;
            for (int h = 0; h < horizon; h++) {
                double scale = mean == null ? sigma : sigma * Math.abs(mean[h]);
                sd[h] = scale * Math.sqrt(sumSquares);
                int j = h + 1;
                phiPower *= parameters.phi;
                cumulativePhi += phiPower;
                double c = parameters.alpha + parameters.beta * cumulativePhi
                    + (spec.season != Season.NONE && j % period == 0 ? parameters.gamma : 0);
                sumSquares += c * c;
            }
            return sd;
        }
    }

    private static double[] leastSquaresLine(double[] y, int window) {
        double meanT = (window - 1) / 2.0;
        double meanY = mean(y, window);
        double covariance = 0;
        double variance = 0;
        for (int t = 0; t < window; t++) {
            covariance += (t - meanT) * (y[t] - meanY);
            variance += (t - meanT) * (t - meanT);
        }
        double slope = variance == 0 ? 0 : covariance / variance;
        // intercept at time -1 so that the first one-step forecast l0 + b0 lands on time 0
        return new double[] {meanY - slope * (meanT + 1), slope};
    }

    private static double mean(double[] y, int window) {
        double sum = 0;
        for (int t = 0; t < window; t++) {
            sum += y[t];
        }
        return sum / window;
    }

    private static double standardDeviation(double[] y, int window) {
        double mean = mean(y, window);
        double sum = 0;
        for (int t = 0; t < window; t++) {
            sum += (y[t] - mean) * (y[t] - mean);
        }
        return Math.sqrt(sum / Math.max(1, window - 1));
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
