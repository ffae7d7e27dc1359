package io.refinery.forecasting;

/** What to forecast: a scope of series at a grain, {@code horizon} periods ahead. */
public record ForecastRequest(Grain grain, int horizon, Scope scope) {

    public ForecastRequest {
        if (grain == null) {
            throw new IllegalArgumentException("grain is required (day, week or month)");
        }
        if (horizon < 1 || horizon > 366) {
            throw new IllegalArgumentException("horizon must be between 1 and 366 periods, was " + horizon);
        }
        scope = scope == null ? Scope.ALL : scope;
    }
}
