package io.refinery.api.forecast;

import io.refinery.forecasting.ForecastPoint;
import io.refinery.warehouse.api.ForecastOverride;

import java.time.LocalDate;

/**
 * One forecast cell as planners see and export it: the run's quantiles and model, its statistical
 * value (P50) and the final value (the override in effect, when there is one; {@code overrideRunId}
 * is the run it was made on, an earlier one when it carried over).
 */
record ForecastRow(String runId, String sku, String location, LocalDate period, double p10, double p50, double p90,
                   String model, double statistical, double finalValue, boolean overridden, String overrideReason,
                   String overriddenBy, String overrideRunId) {

    static ForecastRow of(ForecastPoint p, ForecastOverride o) {
        return new ForecastRow(p.runId(), p.sku(), p.location(), p.period(), p.p10(), p.p50(), p.p90(), p.model(),
                p.p50(), o == null ? p.p50() : o.value(), o != null, o == null ? null : o.reason(),
                o == null ? null : o.overriddenBy(), o == null ? null : o.runId());
    }
}
