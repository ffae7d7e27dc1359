package io.refinery.api.odata;

import io.refinery.api.Blocking;
import io.refinery.api.problem.Problems;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.warehouse.api.RowFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Which forecast run a per-run entity set reads. Blocking (the forecasting facade reads the warehouse). */
@Component
class ForecastRunIds {

    private final ObjectProvider<ForecastRuns> runs;

    ForecastRunIds(ObjectProvider<ForecastRuns> runs) {
        this.runs = runs;
    }

    /**
     * The run of {@code set}: for ForecastsByRun the one named in the filter (required); for
     * ForecastAccuracy the named one if any; otherwise the one pinned by a previous page's link, else
     * the newest successful run (so a run finishing while Power BI pages does not mix two runs).
     */
    String resolve(EntitySet set, RowFilter filter, String pinned) {
        Optional<String> named = runIdOf(filter);
        if (set == EntitySet.ForecastsByRun) {
            return named.orElseThrow(() -> Problems.badRequest("ForecastsByRun needs $filter=run_id eq '<run id>'"
                    + " (and optionally more conditions); for the newest run use Forecasts"));
        }
        if (set == EntitySet.ForecastAccuracy && named.isPresent()) {
            return named.get();
        }
        if (pinned != null) {
            return pinned;
        }
        return Blocking.facade(runs, "forecasting").find(ForecastRuns.LATEST)
                .orElseThrow(() -> Problems.notFound("no successful forecast run yet")).runId();
    }

    /** {@code run_id eq '…'} as a top-level conjunct of the filter. */
    static Optional<String> runIdOf(RowFilter filter) {
        List<RowFilter> conjuncts = filter instanceof RowFilter.All all ? all.parts() : List.of(filter);
        return conjuncts.stream()
                .filter(f -> f instanceof RowFilter.Compare c && c.column().equals("run_id")
                        && c.operator() == RowFilter.Operator.EQ && c.value() instanceof String)
                .map(f -> (String) ((RowFilter.Compare) f).value())
                .findFirst();
    }
}
