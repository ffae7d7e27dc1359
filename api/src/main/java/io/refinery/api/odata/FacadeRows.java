package io.refinery.api.odata;

import io.refinery.api.Blocking;
import io.refinery.api.problem.Problems;
import io.refinery.forecasting.ForecastPoint;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.SeriesAccuracy;
import io.refinery.warehouse.api.ForecastOverride;
import io.refinery.warehouse.api.ForecastOverrides;
import io.refinery.warehouse.api.RowFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Rows of the facade-backed entity sets, in the column order of {@link EntitySet}. Blocking. */
@Component
class FacadeRows {

    private final ObjectProvider<ForecastRuns> runs;
    private final ObjectProvider<LeadTimeAnomalies> anomalies;
    private final ForecastOverrides overrides;
    private final ODataProperties properties;

    FacadeRows(ObjectProvider<ForecastRuns> runs, ObjectProvider<LeadTimeAnomalies> anomalies,
               ForecastOverrides overrides, ODataProperties properties) {
        this.runs = runs;
        this.anomalies = anomalies;
        this.overrides = overrides;
        this.properties = properties;
    }

    List<Object[]> rows(EntitySet set, RowFilter filter) {
        return switch (set) {
            case Forecasts -> forecasts(latest().runId());
            case ForecastsByRun -> forecasts(runIdOf(filter));
            case ForecastAccuracy -> accuracy(latest());
            case LeadTimeAnomalies -> anomalies();
            default -> throw new IllegalArgumentException(set + " is read in the warehouse");
        };
    }

    private ForecastRun latest() {
        return Blocking.facade(runs, "forecasting").find(ForecastRuns.LATEST)
                .orElseThrow(() -> Problems.notFound("no successful forecast run yet"));
    }

    private List<Object[]> forecasts(String runId) {
        Map<String, ForecastOverride> byCell = overrides.forRun(runId).stream()
                .collect(Collectors.toMap(o -> o.sku() + '\u0000' + o.location() + '\u0000' + o.period(),
                        Function.identity(), (a, b) -> b));
        return Blocking.facade(runs, "forecasting").forecasts(runId, null, null).stream()
                .limit(properties.maxInMemoryRows())
                .map(p -> row(p, byCell.get(p.sku() + '\u0000' + p.location() + '\u0000' + p.period()))).toList();
    }

    private static Object[] row(ForecastPoint p, ForecastOverride o) {
        return new Object[]{p.runId(), p.sku(), p.location(), p.period(), p.p10(), p.p50(), p.p90(), p.model(),
                p.p50(), o == null ? p.p50() : o.value(), o != null};
    }

    private List<Object[]> accuracy(ForecastRun run) {
        List<SeriesAccuracy> series = Blocking.facade(runs, "forecasting").seriesAccuracy(run.runId());
        return series.stream().limit(properties.maxInMemoryRows()).map(a -> new Object[]{run.runId(), a.sku(),
                a.location(), a.model(), a.mase(), a.smape(), a.wape(), a.bias(), a.coverageP10P90()}).toList();
    }

    private List<Object[]> anomalies() {
        var query = new LeadTimeAnomalies.Query(null, null, null, null, null, null, 0, properties.maxInMemoryRows());
        return Blocking.facade(anomalies, "forecasting (lead-time anomalies)").find(query).stream()
                .map(a -> new Object[]{a.poLineId(), a.supplier(), a.sku(), a.location(), a.orderedAt(),
                        a.promisedDate(), a.receivedAt(), a.leadTimeDays(), a.delayDays(), a.score(),
                        a.expectedLowDays(), a.expectedHighDays(), a.modelVersion(), a.flaggedAt(), a.acknowledged(),
                        a.acknowledgedBy()})
                .toList();
    }

    /** ForecastsByRun needs {@code run_id eq '…'} as a top-level conjunct of the filter. */
    static String runIdOf(RowFilter filter) {
        List<RowFilter> conjuncts = filter instanceof RowFilter.All all ? all.parts() : List.of(filter);
        return conjuncts.stream()
                .filter(f -> f instanceof RowFilter.Compare c && c.column().equals("run_id")
                        && c.operator() == RowFilter.Operator.EQ && c.value() instanceof String)
                .map(f -> (String) ((RowFilter.Compare) f).value())
                .findFirst()
                .orElseThrow(() -> Problems.badRequest("ForecastsByRun needs $filter=run_id eq '<run id>'"
                        + " (and optionally more conditions); for the newest run use Forecasts"));
    }

}
