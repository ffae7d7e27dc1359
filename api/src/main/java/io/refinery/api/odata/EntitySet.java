package io.refinery.api.odata;

import io.refinery.warehouse.api.ColumnType;
import io.refinery.warehouse.api.ServedColumn;
import io.refinery.warehouse.api.ServedTable;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.refinery.warehouse.api.ColumnType.BOOLEAN;
import static io.refinery.warehouse.api.ColumnType.DATE;
import static io.refinery.warehouse.api.ColumnType.DOUBLE;
import static io.refinery.warehouse.api.ColumnType.STRING;
import static io.refinery.warehouse.api.ColumnType.TIMESTAMP;

/**
 * The entity sets of the feed. Served-layer sets are read page by page in ClickHouse with the filter
 * pushed down; forecast, accuracy and anomaly sets come from the forecasting facade and are
 * filtered by the same parsed filter in memory.
 */
enum EntitySet {
    DemandDaily(ServedTable.DEMAND_DAILY),
    DemandWeekly(ServedTable.DEMAND_WEEKLY),
    DemandMonthly(ServedTable.DEMAND_MONTHLY),
    Products(ServedTable.PRODUCTS),
    Locations(ServedTable.LOCATIONS),
    Forecasts(List.of(c("run_id", STRING), c("sku", STRING), c("location", STRING), c("period", DATE),
            c("p10", DOUBLE), c("p50", DOUBLE), c("p90", DOUBLE), c("model", STRING), c("statistical", DOUBLE),
            c("final", DOUBLE), c("overridden", BOOLEAN)), List.of("sku", "location", "period")),
    ForecastsByRun(Forecasts.columns, List.of("run_id", "sku", "location", "period")),
    ForecastAccuracy(List.of(c("run_id", STRING), c("sku", STRING), c("location", STRING), c("model", STRING),
            c("mase", DOUBLE), c("smape", DOUBLE), c("wape", DOUBLE), c("bias", DOUBLE),
            c("coverage_p10_p90", DOUBLE)), List.of("sku", "location")),
    LeadTimeAnomalies(List.of(c("po_line_id", STRING), c("supplier", STRING), c("sku", STRING), c("location", STRING),
            c("ordered_at", TIMESTAMP), c("promised_date", DATE), c("received_at", TIMESTAMP),
            c("lead_time_days", DOUBLE), c("delay_days", DOUBLE), c("score", DOUBLE), c("expected_low_days", DOUBLE),
            c("expected_high_days", DOUBLE), c("model_version", STRING), c("flagged_at", TIMESTAMP),
            c("acknowledged", BOOLEAN), c("acknowledged_by", STRING)), List.of("po_line_id"));

    private final ServedTable table;
    private final List<ServedColumn> columns;
    private final List<String> key;

    EntitySet(ServedTable table) {
        this.table = table;
        this.columns = table.columns();
        this.key = table.key();
    }

    EntitySet(List<ServedColumn> columns, List<String> key) {
        this.table = null;
        this.columns = columns;
        this.key = key;
    }

    /** The served table, for sets read in the warehouse; empty for facade-backed sets. */
    Optional<ServedTable> table() {
        return Optional.ofNullable(table);
    }

    List<ServedColumn> columns() {
        return columns;
    }

    List<String> key() {
        return key;
    }

    Optional<ServedColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    int index(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    static Optional<EntitySet> named(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }

    private static ServedColumn c(String name, ColumnType type) {
        return new ServedColumn(name, type);
    }
}
