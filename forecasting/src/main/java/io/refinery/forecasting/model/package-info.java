/**
 * Univariate forecasting models, per-series model selection and calibrated prediction intervals.
 * Pure Java: no Spring, no warehouse access.
 *
 * <h2>API</h2>
 * A {@link io.refinery.forecasting.model.Forecaster} fits one series (oldest value first) with a
 * seasonal period and returns a {@link io.refinery.forecasting.model.FittedModel}, which gives point
 * forecasts, forecast-error standard deviations and a {@link io.refinery.forecasting.model.Forecast}
 * with quantiles at any levels (e.g. P10/P50/P90). Every fitted model carries a
 * {@link io.refinery.forecasting.model.Provenance}: model name, fitted parameters and the seed of any
 * random number generator. {@link io.refinery.forecasting.model.Forecasters} is the entry point to
 * the zoo; {@link io.refinery.forecasting.model.Accuracy} scores forecasts (sMAPE, MASE, WAPE, bias,
 * interval coverage) per series and overall.
 *
 * <h2>Models</h2>
 * <ul>
 *   <li>Seasonal naive, and the M4 Naive2 benchmark that OWA is measured against.</li>
 *   <li>ETS: the exponential-smoothing state-space family with additive or multiplicative error,
 *       no, additive or damped trend and no, additive or multiplicative seasonality, fitted by maximum
 *       likelihood with Nelder–Mead and chosen by AICc as R's {@code ets} does (multiplicative forms
 *       only for positive data). Initial seasonal states come from a classical decomposition, which
 *       keeps the optimisation small and fast; a damped-trend-only variant is available too.</li>
 *   <li>Theta: SES with half the linear-trend slope as drift on data deseasonalised by classical
 *       multiplicative decomposition when the 90% autocorrelation test finds seasonality (R's
 *       {@code thetaf}; it reproduces its M3 monthly sMAPE of 13.86).</li>
 *   <li>Croston, SBA and TSB for intermittent demand.</li>
 *   <li>Combinations: the default is the mean of ETS, Theta and damped ETS, which is more accurate on
 *       M3 monthly than any member (sMAPE 13.64 against 13.86 for Theta); medians are available.</li>
 *   <li>{@link io.refinery.forecasting.model.GlobalRegressionForecaster}: one Tribuo regression model
 *       (linear SGD or CART) learned across many series and rolled forward recursively, over the features
 *       of {@link io.refinery.forecasting.model.DemandFeatures}, the one point-in-time feature definition
 *       shared by training and scoring (scaled lags, rolling mean, season position, lagged prices). It
 *       trails the local models on M3 monthly on its own; {@link io.refinery.forecasting.model.GlobalCandidates}
 *       learns it at every backtest origin so that selection can weigh it per series.</li>
 *   <li>Seasonal ARIMA ({@code Forecasters.arima()}) with Hyndman–Khandakar stepwise order selection
 *       by AICc on a CSS fit, as R's {@code auto.arima}. It is not in the default pool or combination:
 *       on M3 monthly adding it did not pay (see the forecasting README for the figures).</li>
 * </ul>
 *
 * <h2>Selection</h2>
 * {@link io.refinery.forecasting.model.AutoForecaster} routes intermittent series (average
 * inter-demand interval at least 1.32, Syntetos–Boylan) to the Croston family and everything else to
 * the regular candidates, then runs rolling-origin backtests. A candidate replaces the first
 * (default) candidate only when it has the lower total scaled error and beats the default at every
 * origin: single backtest windows are noisy, and plain arg-min selection measurably overfits them.
 * {@code fitAll} fits many series in parallel on a dedicated {@link java.util.concurrent.ForkJoinPool}.
 *
 * <h2>Intervals</h2>
 * Quantiles are Gaussian around the point forecast with the model's analytic forecast-error
 * standard deviation (exact for additive-error ETS, the relative-error analogue for multiplicative
 * errors), truncated at zero for demand. Combinations use the members' mean standard deviation. The
 * backtest coverage of the P10–P90 interval is reported in the selected model's provenance, so poor
 * calibration on a series is visible.
 */
package io.refinery.forecasting.model;
