package io.refinery.api.odata;

import io.refinery.warehouse.api.ForecastReads;
import io.refinery.warehouse.api.ServedColumn;
import io.refinery.warehouse.api.ServedTable;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The entity sets of the feed. Every set is read page by page in ClickHouse with $filter, $orderby,
 * $select, $top/$skip and $count pushed down: the served tables through ServedReads, forecasts,
 * accuracy and anomalies through ForecastReads.
 */
enum EntitySet {
    DemandDaily(ServedTable.DEMAND_DAILY),
    DemandWeekly(ServedTable.DEMAND_WEEKLY),
    DemandMonthly(ServedTable.DEMAND_MONTHLY),
    Products(ServedTable.PRODUCTS),
    Locations(ServedTable.LOCATIONS),
    /** The newest successful run's forecasts; paging stays on the run of the first page. */
    Forecasts(ForecastReads.Source.FORECASTS, List.of("sku", "location", "period")),
    /** Any run's forecasts: needs {@code run_id eq '…'} in $filter. */
    ForecastsByRun(ForecastReads.Source.FORECASTS, List.of("run_id", "sku", "location", "period")),
    /** Backtest accuracy per series of the newest run, or of the run named by {@code run_id eq '…'}. */
    ForecastAccuracy(ForecastReads.Source.ACCURACY, List.of("sku", "location")),
    LeadTimeAnomalies(ForecastReads.Source.LEAD_TIME_ANOMALIES, List.of("po_line_id"));

    private final ServedTable table;
    private final ForecastReads.Source source;
    private final List<ServedColumn> columns;
    private final List<String> key;

    EntitySet(ServedTable table) {
        this.table = table;
        this.source = null;
        this.columns = table.columns();
        this.key = table.key();
    }

    EntitySet(ForecastReads.Source source, List<String> key) {
        this.table = null;
        this.source = source;
        this.columns = source.columns();
        this.key = key;
    }

    /** The served table, for sets read through ServedReads; empty for forecasting sets. */
    Optional<ServedTable> table() {
        return Optional.ofNullable(table);
    }

    /** The forecasting source, for sets read through ForecastReads; empty for served tables. */
    Optional<ForecastReads.Source> source() {
        return Optional.ofNullable(source);
    }

    /** Whether rows belong to one forecast run, resolved before reading. */
    boolean perRun() {
        return source == ForecastReads.Source.FORECASTS || source == ForecastReads.Source.ACCURACY;
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

    static Optional<EntitySet> named(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }
}
