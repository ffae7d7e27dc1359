package io.refinery.forecasting.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seasonal ARIMA(p,d,q)(P,D,Q)m with automatic order selection after Hyndman &amp; Khandakar (2008), the
 * algorithm of R's {@code auto.arima}:
 * <ol>
 *   <li>{@code D} (0 or 1): seasonal differencing when the seasonal strength of a classical additive
 *       decomposition exceeds 0.64 (R's default {@code "seas"} test uses the same threshold on STL);</li>
 *   <li>{@code d} (0..2): difference while the KPSS level-stationarity test rejects at 5%;</li>
 *   <li>stepwise search from (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1), moving one
 *       order by ±1 (or p and q together), toggling the constant, while AICc improves.</li>
 * </ol>
 * Coefficients are fitted by conditional sum of squares (CSS) with Nelder–Mead; non-stationary AR and
 * non-invertible MA polynomials are rejected. AICc uses the CSS variance over the differenced series,
 * so it compares models with the same {@code d, D} only, which is all the stepwise search compares.
 * Forecast standard deviations come from the psi weights of the integrated model.
 */
final class Arima implements Forecaster {

    /** Search limits, as R's defaults: max.p = max.q = 5, max.P = max.Q = 2, max.order = 5. */
    private static final int MAX_P = 5;
    private static final int MAX_Q = 5;
    private static final int MAX_SEASONAL = 2;
    private static final int MAX_ORDER = 5;
    private static final int MAX_MODELS = 94;
    /** KPSS 5% critical value for level stationarity (Kwiatkowski et al. 1992, table 1). */
    private static final double KPSS_CRITICAL_5 = 0.463;
    private static final double SEASONAL_STRENGTH_THRESHOLD = 0.64;

    /** An order: non-seasonal (p,d,q), seasonal (P,D,Q) with period m, and whether a constant is fitted. */
    record Order(int p, int d, int q, int sp, int sd, int sq, int period, boolean constant) {

        int parameters() {
            return p + q + sp + sq + (constant ? 1 : 0);
        }

        boolean withinLimits() {
            return p >= 0 && q >= 0 && sp >= 0 && sq >= 0 && p <= MAX_P && q <= MAX_Q && sp <= MAX_SEASONAL
                && sq <= MAX_SEASONAL && p + q + sp + sq <= MAX_ORDER && (period > 1 || sp + sq == 0);
        }

        Order with(int newP, int newQ, int newSp, int newSq, boolean newConstant) {
            return new Order(newP, d, newQ, newSp, sd, newSq, period, newConstant);
        }

        @Override
        public String toString() {
            String base = "ARIMA(" + p + "," + d + "," + q + ")";
            return (period > 1 && sp + sd + sq > 0 ? base + "(" + sp + "," + sd + "," + sq + ")[" + period + "]" : base)
                + (constant ? (d + sd == 0 ? " with mean" : " with drift") : "");
        }
    }

    @Override
    public String name() {
        return "ARIMA";
    }

    @Override
    public FittedModel fit(double[] history, int seasonalPeriod) {
        double[] y = history.clone();
        int m = seasonalPeriod > 1 && y.length >= 3 * seasonalPeriod ? seasonalPeriod : 1;
        int seasonalDifferences = m > 1 && seasonalStrength(y, m) > SEASONAL_STRENGTH_THRESHOLD ? 1 : 0;
        double[] afterSeasonal = difference(y, seasonalDifferences == 1 ? m : 1, seasonalDifferences);
        int differences = 0;
        double[] w = afterSeasonal;
        while (differences < 2 && w.length > 10 && !Seasonality.isConstant(w) && kpss(w) > KPSS_CRITICAL_5) {
            w = difference(w, 1, 1);
            differences++;
        }
        if (w.length < 8 || Seasonality.isConstant(w)) {
            return new SeasonalNaive().fit(history, 1);
        }
        boolean constantAllowed = differences + seasonalDifferences <= 1;
        Model best = search(y, w, differences, seasonalDifferences, m, constantAllowed);
        return best != null ? best : new SeasonalNaive().fit(history, 1);
    }

    /** Fits exactly {@code order}; {@code null} when the series is too short or no admissible fit exists. */
    static Model fitOrder(double[] history, Order order) {
        double[] w = difference(difference(history, order.period, order.sd), 1, order.d);
        return fitDifferenced(history, w, order);
    }

    private Model search(double[] y, double[] w, int d, int sd, int m, boolean constantAllowed) {
        boolean seasonal = m > 1;
        Map<Order, Model> tried = new LinkedHashMap<>();
        List<Order> starts = new ArrayList<>();
        starts.add(new Order(2, d, 2, seasonal ? 1 : 0, sd, seasonal ? 1 : 0, m, constantAllowed));
        starts.add(new Order(0, d, 0, 0, sd, 0, m, constantAllowed));
        starts.add(new Order(1, d, 0, seasonal ? 1 : 0, sd, 0, m, constantAllowed));
        starts.add(new Order(0, d, 1, 0, sd, seasonal ? 1 : 0, m, constantAllowed));
        if (constantAllowed) {
            starts.add(new Order(0, d, 0, 0, sd, 0, m, false));
        }
        Model best = null;
        for (Order order : starts) {
            Model model = tryOrder(y, w, order, tried);
            if (better(model, best)) {
                best = model;
            }
        }
        if (best == null) {
            return null;
        }
        boolean improved = true;
        while (improved && tried.size() < MAX_MODELS) {
            improved = false;
            for (Order neighbour : neighbours(best.order(), constantAllowed)) {
                if (tried.containsKey(neighbour) || !neighbour.withinLimits()) {
                    continue;
                }
                Model model = tryOrder(y, w, neighbour, tried);
                if (better(model, best)) {
                    best = model;
                    improved = true;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean better(Model candidate, Model incumbent) {
        return candidate != null && (incumbent == null || candidate.aicc() < incumbent.aicc());
    }

    private static Model tryOrder(double[] y, double[] w, Order order, Map<Order, Model> tried) {
        if (!order.withinLimits()) {
            return null;
        }
        Model model = fitDifferenced(y, w, order);
        tried.put(order, model);
        return model;
    }

    private static List<Order> neighbours(Order o, boolean constantAllowed) {
        List<Order> list = new ArrayList<>();
        boolean c = o.constant();
        if (o.period() > 1) {
            list.add(o.with(o.p(), o.q(), o.sp() - 1, o.sq(), c));
            list.add(o.with(o.p(), o.q(), o.sp() + 1, o.sq(), c));
            list.add(o.with(o.p(), o.q(), o.sp(), o.sq() - 1, c));
            list.add(o.with(o.p(), o.q(), o.sp(), o.sq() + 1, c));
            list.add(o.with(o.p(), o.q(), o.sp() - 1, o.sq() - 1, c));
            list.add(o.with(o.p(), o.q(), o.sp() + 1, o.sq() + 1, c));
        }
        list.add(o.with(o.p() - 1, o.q(), o.sp(), o.sq(), c));
        list.add(o.with(o.p() + 1, o.q(), o.sp(), o.sq(), c));
        list.add(o.with(o.p(), o.q() - 1, o.sp(), o.sq(), c));
        list.add(o.with(o.p(), o.q() + 1, o.sp(), o.sq(), c));
        list.add(o.with(o.p() - 1, o.q() - 1, o.sp(), o.sq(), c));
        list.add(o.with(o.p() + 1, o.q() + 1, o.sp(), o.sq(), c));
        list.add(o.with(o.p() - 1, o.q() + 1, o.sp(), o.sq(), c));
        list.add(o.with(o.p() + 1, o.q() - 1, o.sp(), o.sq(), c));
        if (constantAllowed) {
            list.add(o.with(o.p(), o.q(), o.sp(), o.sq(), !c));
        }
        return list;
    }

    /**
     * CSS fit of an ARMA(p,q)(P,Q) with optional mean on the differenced series {@code w}. The mean is
     * optimised in units of the series' standard deviation so that Nelder–Mead's simplex suits it as
     * well as the coefficients.
     */
    private static Model fitDifferenced(double[] y, double[] w, Order order) {
        int conditioning = order.p() + order.period() * order.sp();
        int parameters = order.parameters();
        if (w.length - conditioning < parameters + 3) {
            return null;
        }
        double mean = 0;
        for (double v : w) {
            mean += v / w.length;
        }
        double variance = 0;
        for (double v : w) {
            variance += (v - mean) * (v - mean) / w.length;
        }
        double spread = Math.max(Math.sqrt(variance), 1e-10);
        double centre = mean;
        Coefficients start = new Coefficients(order, new double[parameters], centre, spread);
        double[] best = parameters == 0 ? new double[0] : NelderMead.minimise(
            x -> new Coefficients(order, x, centre, spread).conditionalSumOfSquares(w), start.raw, 0.1,
            200 * (parameters + 1));
        Coefficients fitted = new Coefficients(order, best, centre, spread);
        double css = fitted.conditionalSumOfSquares(w);
        if (!Double.isFinite(css)) {
            return null;
        }
        int used = w.length - conditioning;
        double sigma2 = Math.max(css / used, 1e-12 * spread * spread);
        int n = w.length;
        int k = parameters + 1;
        double aic = n * Math.log(sigma2) + 2 * k;
        double aicc = n - k - 1 > 0 ? aic + 2.0 * k * (k + 1) / (n - k - 1) : Double.POSITIVE_INFINITY;
        return new Model(order, fitted, y.clone(), fitted.residuals(w), sigma2, aicc);
    }

    /** Parameter vector laid out as [ar(p), ma(q), sar(P), sma(Q), mean?], expanded to full polynomials. */
    private static final class Coefficients {
        final Order order;
        final double[] raw;
        final double[] ar;
        final double[] ma;
        final double mean;

        Coefficients(Order order, double[] raw, double centre, double spread) {
            this.order = order;
            this.raw = raw;
            int i = 0;
            double[] phi = Arrays.copyOfRange(raw, i, i += order.p());
            double[] theta = Arrays.copyOfRange(raw, i, i += order.q());
            double[] seasonalPhi = Arrays.copyOfRange(raw, i, i += order.sp());
            double[] seasonalTheta = Arrays.copyOfRange(raw, i, i += order.sq());
            this.mean = order.constant() ? centre + spread * raw[i] : 0;
            this.ar = multiply(phi, seasonalPhi, order.period(), -1);
            this.ma = multiply(theta, seasonalTheta, order.period(), +1);
            this.stationary = isStationary(phi) && isStationary(seasonalPhi)
                && isStationary(negate(theta)) && isStationary(negate(seasonalTheta));
        }

        final boolean stationary;

        double conditionalSumOfSquares(double[] w) {
            if (!stationary) {
                return Double.POSITIVE_INFINITY;
            }
            double[] e = residuals(w);
            double sum = 0;
            for (int t = ar.length; t < w.length; t++) {
                sum += e[t] * e[t];
            }
            return sum;
        }

        /** e_t = (w_t - mu) - sum ar_i (w_{t-i} - mu) - sum ma_j e_{t-j}, zero before the conditioning window. */
        double[] residuals(double[] w) {
            double[] e = new double[w.length];
            for (int t = ar.length; t < w.length; t++) {
                double value = w[t] - mean;
                for (int i = 0; i < ar.length; i++) {
                    value -= ar[i] * (w[t - i - 1] - mean);
                }
                for (int j = 0; j < ma.length && j < t; j++) {
                    value -= ma[j] * e[t - j - 1];
                }
                e[t] = value;
            }
            return e;
        }
    }

    /**
     * Coefficients of (1 + sign sum a_i B^i)(1 + sign sum s_j B^(m j)) written back in the same sign
     * convention: for AR (sign -1) the result r satisfies w_t = sum r_i w_{t-i}; for MA (sign +1)
     * e-coefficients r with theta(B) = 1 + sum r_i B^i.
     */
    static double[] multiply(double[] a, double[] s, int m, int sign) {
        int length = a.length + m * s.length;
        double[] full = new double[length + 1];
        double[] left = new double[a.length + 1];
        left[0] = 1;
        for (int i = 0; i < a.length; i++) {
            left[i + 1] = sign * a[i];
        }
        double[] right = new double[m * s.length + 1];
        right[0] = 1;
        for (int j = 0; j < s.length; j++) {
            right[m * (j + 1)] = sign * s[j];
        }
        for (int i = 0; i < left.length; i++) {
            for (int j = 0; j < right.length; j++) {
                full[i + j] += left[i] * right[j];
            }
        }
        double[] result = new double[length];
        for (int i = 0; i < length; i++) {
            result[i] = sign * full[i + 1];
        }
        return result;
    }

    /**
     * Whether 1 - sum phi_i z^i has all roots outside the unit circle, by the Durbin–Levinson step-down
     * recursion: the polynomial is stationary iff every reflection coefficient lies inside (-1, 1).
     */
    static boolean isStationary(double[] phi) {
        double[] a = phi.clone();
        for (int k = a.length; k >= 1; k--) {
            double reflection = a[k - 1];
            if (!(Math.abs(reflection) < 1 - 1e-6)) {
                return false;
            }
            double denominator = 1 - reflection * reflection;
            double[] next = new double[k - 1];
            for (int i = 0; i < k - 1; i++) {
                next[i] = (a[i] + reflection * a[k - 2 - i]) / denominator;
            }
            a = next;
        }
        return true;
    }

    private static double[] negate(double[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = -values[i];
        }
        return result;
    }

    /** {@code times}-fold lag-{@code lag} differencing. */
    static double[] difference(double[] y, int lag, int times) {
        double[] result = y;
        for (int k = 0; k < times; k++) {
            if (result.length <= lag) {
                return new double[0];
            }
            double[] next = new double[result.length - lag];
            for (int t = 0; t < next.length; t++) {
                next[t] = result[t + lag] - result[t];
            }
            result = next;
        }
        return result;
    }

    /**
     * KPSS statistic for level stationarity with the Newey–West long-run variance at lag
     * {@code trunc(3 sqrt(n) / 13)}, as R's {@code forecast::ndiffs} calls {@code urca::ur.kpss(type = "mu")}.
     */
    static double kpss(double[] y) {
        int n = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v / n;
        }
        double[] e = new double[n];
        for (int t = 0; t < n; t++) {
            e[t] = y[t] - mean;
        }
        double partial = 0;
        double eta = 0;
        for (int t = 0; t < n; t++) {
            partial += e[t];
            eta += partial * partial;
        }
        eta /= (double) n * n;
        int lags = (int) Math.floor(3 * Math.sqrt(n) / 13);
        double longRun = 0;
        for (double v : e) {
            longRun += v * v;
        }
        longRun /= n;
        for (int l = 1; l <= lags; l++) {
            double covariance = 0;
            for (int t = l; t < n; t++) {
                covariance += e[t] * e[t - l];
            }
            longRun += 2 * (1 - l / (lags + 1.0)) * covariance / n;
        }
        return longRun <= 0 ? 0 : eta / longRun;
    }

    /**
     * Seasonal strength max(0, 1 - Var(remainder) / Var(season + remainder)) of a classical additive
     * decomposition (Wang, Smith &amp; Hyndman 2006).
     */
    static double seasonalStrength(double[] y, int m) {
        if (Seasonality.isConstant(y) || y.length < 2 * m + 1) {
            return 0;
        }
        Seasonality season = Seasonality.decompose(y, m, false);
        int half = m / 2;
        List<Double> detrended = new ArrayList<>();
        List<Double> remainder = new ArrayList<>();
        for (int t = half; t < y.length - half; t++) {
            double trend = 0;
            for (int k = -half; k <= half; k++) {
                double weight = m % 2 == 0 && Math.abs(k) == half ? 0.5 : 1.0;
                trend += weight * y[t + k];
            }
            trend /= m;
            detrended.add(y[t] - trend);
            remainder.add(y[t] - trend - season.index(t));
        }
        double varianceDetrended = variance(detrended);
        return varianceDetrended <= 0 ? 0 : Math.max(0, 1 - variance(remainder) / varianceDetrended);
    }

    private static double variance(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, values.size() - 1);
    }

    /** A fitted ARIMA: forecasts the differenced series as ARMA, then integrates back. */
    record Model(Order order, Coefficients coefficients, double[] history, double[] residuals, double sigma2,
                 double aicc) implements FittedModel {

        Model {
            Objects.requireNonNull(order);
        }

        double[] ar() {
            return coefficients.ar.clone();
        }

        double[] ma() {
            return coefficients.ma.clone();
        }

        double mean() {
            return coefficients.mean;
        }

        @Override
        public Provenance provenance() {
            Map<String, Double> parameters = new LinkedHashMap<>();
            double[] raw = coefficients.raw;
            int i = 0;
            for (int k = 1; k <= order.p(); k++) {
                parameters.put("ar" + k, raw[i++]);
            }
            for (int k = 1; k <= order.q(); k++) {
                parameters.put("ma" + k, raw[i++]);
            }
            for (int k = 1; k <= order.sp(); k++) {
                parameters.put("sar" + k, raw[i++]);
            }
            for (int k = 1; k <= order.sq(); k++) {
                parameters.put("sma" + k, raw[i++]);
            }
            if (order.constant()) {
                parameters.put(order.d() + order.sd() == 0 ? "mean" : "drift", coefficients.mean);
            }
            parameters.put("sigma2", sigma2);
            parameters.put("aicc", aicc);
            return Provenance.deterministic(order.toString(), parameters);
        }

        @Override
        public double[] pointForecast(int horizon) {
            double[] w = difference(difference(history, order.period(), order.sd()), 1, order.d());
            double[] ar = coefficients.ar;
            double[] ma = coefficients.ma;
            double mu = coefficients.mean;
            int n = w.length;
            double[] extended = Arrays.copyOf(w, n + horizon);
            double[] errors = Arrays.copyOf(residuals, n + horizon);
            for (int h = 0; h < horizon; h++) {
                int t = n + h;
                double value = mu;
                for (int i = 0; i < ar.length; i++) {
                    value += ar[i] * (t - i - 1 >= 0 ? extended[t - i - 1] - mu : 0);
                }
                for (int j = 0; j < ma.length; j++) {
                    value += t - j - 1 >= 0 ? ma[j] * errors[t - j - 1] : 0;
                }
                extended[t] = value;
            }
            return integrate(Arrays.copyOfRange(extended, n, n + horizon));
        }

        /** Undoes the regular, then the seasonal differencing, starting from the end of the history. */
        private double[] integrate(double[] forecastDifferenced) {
            double[] seasonallyDifferenced = difference(history, order.period(), order.sd());
            List<double[]> levels = new ArrayList<>();
            levels.add(seasonallyDifferenced);
            for (int k = 1; k < order.d(); k++) {
                levels.add(difference(levels.get(k - 1), 1, 1));
            }
            double[] current = forecastDifferenced;
            for (int k = order.d() - 1; k >= 0; k--) {
                current = cumulate(levels.get(k), current, 1);
            }
            if (order.sd() == 1) {
                current = cumulate(history, current, order.period());
            }
            return current;
        }

        private static double[] cumulate(double[] past, double[] differences, int lag) {
            int n = past.length;
            double[] extended = Arrays.copyOf(past, n + differences.length);
            for (int h = 0; h < differences.length; h++) {
                extended[n + h] = differences[h] + extended[n + h - lag];
            }
            return Arrays.copyOfRange(extended, n, extended.length);
        }

        @Override
        public double[] forecastStandardDeviation(int horizon) {
            double[] psi = psi(horizon);
            double[] sd = new double[horizon];
            double sum = 0;
            for (int h = 0; h < horizon; h++) {
                sum += psi[h] * psi[h];
                sd[h] = Math.sqrt(sigma2 * sum);
            }
            return sd;
        }

        /**
         * The first {@code count} psi weights (impulse response, psi_0 = 1) of the integrated model: AR
         * polynomial times (1 - B)^d (1 - B^m)^D over the MA polynomial.
         */
        double[] psi(int count) {
            double[] integratedAr = coefficients.ar;
            for (int k = 0; k < order.d(); k++) {
                integratedAr = withDifference(integratedAr, 1);
            }
            for (int k = 0; k < order.sd(); k++) {
                integratedAr = withDifference(integratedAr, order.period());
            }
            double[] ma = coefficients.ma;
            double[] psi = new double[count];
            psi[0] = 1;
            for (int j = 1; j < count; j++) {
                double value = j <= ma.length ? ma[j - 1] : 0;
                for (int i = 1; i <= Math.min(j, integratedAr.length); i++) {
                    value += integratedAr[i - 1] * psi[j - i];
                }
                psi[j] = value;
            }
            return psi;
        }

        /** AR coefficients r (w_t = sum r_i w_{t-i}) of the model multiplied by (1 - B^lag). */
        private static double[] withDifference(double[] ar, int lag) {
            double[] result = new double[ar.length + lag];
            for (int i = 0; i < ar.length; i++) {
                result[i] += ar[i];
            }
            result[lag - 1] += 1;
            for (int i = 0; i < ar.length; i++) {
                result[i + lag] -= ar[i];
            }
            return result;
        }
    }
}
