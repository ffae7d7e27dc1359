package io.refinery.warehouse.api;

import org.jooq.Table;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static io.refinery.warehouse.api.ColumnType.BOOLEAN;
import static io.refinery.warehouse.api.ColumnType.DATE;
import static io.refinery.warehouse.api.ColumnType.DOUBLE;
import static io.refinery.warehouse.api.ColumnType.STRING;
import static io.refinery.warehouse.api.ColumnType.TIMESTAMP;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

/**
 * Forecasts (with the planner overrides in effect), forecast accuracy and lead-time anomalies, read
 * page by page with user filters, projections and orders pushed down into ClickHouse exactly like
 * the served tables ({@link ServedReads}): filter values are bound, names are checked.
 */
@Repository
public class ForecastReads {

    /** The row sources, their visible columns and the key that makes an order total. */
    public enum Source {
        /** One run's forecasts; {@code statistical} is the run's P50, {@code final} the override in effect or P50. */
        FORECASTS(List.of(c("run_id", STRING), c("sku", STRING), c("location", STRING), c("period", DATE),
                c("p10", DOUBLE), c("p50", DOUBLE), c("p90", DOUBLE), c("model", STRING), c("statistical", DOUBLE),
                c("final", DOUBLE), c("overridden", BOOLEAN)), List.of("run_id", "sku", "location", "period")),
        /** One run's backtest accuracy per series. */
        ACCURACY(List.of(c("run_id", STRING), c("sku", STRING), c("location", STRING), c("model", STRING),
                c("mase", DOUBLE), c("smape", DOUBLE), c("wape", DOUBLE), c("bias", DOUBLE),
                c("coverage_p10_p90", DOUBLE)), List.of("run_id", "sku", "location")),
        /** Flagged lead times (newest scoring of each PO line); not per run. */
        LEAD_TIME_ANOMALIES(List.of(c("po_line_id", STRING), c("supplier", STRING), c("sku", STRING),
                c("location", STRING), c("ordered_at", TIMESTAMP), c("promised_date", DATE), c("received_at", TIMESTAMP),
                c("lead_time_days", DOUBLE), c("delay_days", DOUBLE), c("score", DOUBLE), c("expected_low_days", DOUBLE),
                c("expected_high_days", DOUBLE), c("model_version", STRING), c("flagged_at", TIMESTAMP),
                c("acknowledged", BOOLEAN), c("acknowledged_by", STRING)), List.of("po_line_id"));

        private final List<ServedColumn> columns;
        private final List<String> key;

        Source(List<ServedColumn> columns, List<String> key) {
            this.columns = columns;
            this.key = key;
        }

        public List<ServedColumn> columns() {
            return columns;
        }

        public List<String> key() {
            return key;
        }

        public Optional<ServedColumn> column(String name) {
            return columns.stream().filter(col -> col.name().equals(name)).findFirst();
        }

        private Function<String, ServedColumn> lookup() {
            return name -> column(name).orElseThrow(() -> new IllegalArgumentException("no column '" + name + "' in "
                    + name().toLowerCase()));
        }

        private static ServedColumn c(String name, ColumnType type) {
            return new ServedColumn(name, type);
        }
    }

    /**
     * Forecasts of run {0} with the overrides in effect joined per cell. Unmatched rows of a ClickHouse
     * LEFT JOIN get default values, so {@code has} is 0 exactly where no override applies.
     */
    private static final String FORECASTS_OF_RUN = """
            (SELECT f.run_id AS run_id, f.sku AS sku, f.location AS location, f.period AS period, f.p10 AS p10,
                    f.p50 AS p50, f.p90 AS p90, toString(f.model) AS model, f.p50 AS statistical,
                    if(o.has = 1, o.e_value, f.p50) AS final, toBool(o.has) AS overridden
             FROM forecasts AS f
             LEFT JOIN (SELECT sku, location, period, e_value, toUInt8(1) AS has FROM {1} AS e) AS o
                    ON f.sku = o.sku AND f.location = o.location AND f.period = o.period
             WHERE f.run_id = {0}) AS forecasts_of_run""";

    private static final String ACCURACY_OF_RUN = """
            (SELECT run_id, sku, location, toString(model) AS model, mase, smape, wape, bias, coverage_p10_p90
             FROM forecast_series_accuracy WHERE run_id = {0}) AS accuracy_of_run""";

    private static final String ANOMALIES = """
            (SELECT po_line_id, supplier, sku, location, ordered_at, promised_date, received_at, lead_time_days,
                    delay_days, score, expected_low_days, expected_high_days, model_version, flagged_at,
                    acknowledged, acknowledged_by
             FROM lead_time_anomalies FINAL) AS anomalies""";

    private final ServedReads reads;

    ForecastReads(ServedReads reads) {
        this.reads = reads;
    }

    /**
     * Rows in the order of {@code columns}, as {@link ServedReads#page}. {@code runId} names the run of
     * FORECASTS and ACCURACY (resolve "latest" first); LEAD_TIME_ANOMALIES ignores it.
     */
    public List<Object[]> page(Source source, String runId, List<String> columns, RowFilter filter,
                               List<SortKey> order, long offset, int limit) {
        List<Object[]> rows = new java.util.ArrayList<>(Math.min(limit, 10_000));
        reads.stream(from(source, runId), source.lookup(), columns, filter, order, offset, limit, rows::add);
        return rows;
    }

    public void stream(Source source, String runId, List<String> columns, RowFilter filter, List<SortKey> order,
                       long offset, int limit, Consumer<Object[]> sink) {
        reads.stream(from(source, runId), source.lookup(), columns, filter, order, offset, limit, sink);
    }

    public long count(Source source, String runId, RowFilter filter) {
        return reads.count(from(source, runId), source.lookup(), filter);
    }

    private static Table<?> from(Source source, String runId) {
        return switch (source) {
            case FORECASTS -> table(FORECASTS_OF_RUN, val(requireRun(runId)), ForecastOverrides.effective(runId));
            case ACCURACY -> table(ACCURACY_OF_RUN, val(requireRun(runId)));
            case LEAD_TIME_ANOMALIES -> table(ANOMALIES);
        };
    }

    private static String requireRun(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a run id is needed");
        }
        return runId;
    }
}
