package io.refinery.warehouse.lineage;

import io.refinery.warehouse.forecast.ForecastRows.ForecastRow;
import io.refinery.warehouse.forecast.ForecastRows.RunRow;
import io.refinery.warehouse.forecast.ForecastStore;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.refinery.warehouse.lineage.LineageGraph.props;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

/**
 * Walks what the warehouse already records to answer "where did this number come from?":
 * forecast value → run → chosen model → the demand snapshot the run read → the served demand rows
 * as of that snapshot → the cleaned rows behind them, grouped by the raw batch they were cleaned
 * from → the raw batch (with its place in the hash chain) → the route that landed it. And the other
 * way: a raw batch → the cleaned rows it still supplies → served demand → runs that read it.
 *
 * <p>Point in time: served rows are read as of the run's {@code data_version} ({@code argMax} over
 * versions not newer than it) and cleaned rows as of its {@code data_as_of}, so later deliveries do
 * not rewrite a past run's lineage. ReplacingMergeTree merges may remove superseded versions; the
 * snapshot node says how many served rows have changed since, so a reader knows the picture is current.
 */
@Repository
public class LineageReads {

    /** Cleaned-row groups shown per graph; beyond, the snapshot node says the graph was cut. */
    static final int MAX_BATCHES = 500;
    private static final int SAMPLE_KEYS = 20;
    private static final Field<String> SKU = field(name("sku"), String.class);
    private static final Field<String> LOCATION = field(name("location"), String.class);
    private static final Field<UUID> BATCH_ID = field(name("batch_id"), UUID.class);
    private static final Map<String, String> CLEANED_TABLE_KEY = Map.of(
            "sales_order_lines", "line_id", "purchase_order_lines", "po_line_id", "receipts", "receipt_id",
            "iot_readings", "device_id", "products", "sku", "locations", "location", "suppliers", "supplier");

    private final DSLContext dsl;
    private final ForecastStore forecasts;

    LineageReads(DSLContext warehouseDsl, ForecastStore forecasts) {
        this.dsl = warehouseDsl;
        this.forecasts = forecasts;
    }

    /**
     * Upstream lineage of a run's forecast values for one series ({@code *} = the aggregate level),
     * optionally one period. Empty when the run or the series' forecast does not exist.
     */
    public Optional<LineageGraph> forecast(String runId, String sku, String location, LocalDate period) {
        Optional<RunRow> found = "latest".equals(runId) ? forecasts.latestSucceededRun() : forecasts.findRun(runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RunRow run = found.get();
        List<ForecastRow> values = forecasts.forecasts(run.runId(), sku, location).stream()
                .filter(f -> period == null || f.period().equals(period)).toList();
        if (values.isEmpty()) {
            return Optional.empty();
        }
        LineageGraph.Builder graph = new LineageGraph.Builder();
        String runNode = "run:" + run.runId();
        graph.node(runNode, "run", run.runId(), props("runId", run.runId(), "status", run.status(),
                "trigger", run.trigger(), "requestedBy", run.requestedBy(), "grain", run.grain(),
                "horizon", run.horizon(), "scopeKey", run.scopeKey(), "startedAt", run.startedAt(),
                "finishedAt", run.finishedAt(), "codeVersion", run.codeVersion()));
        String snapshotNode = "snapshot:" + run.runId();
        for (ForecastRow value : values) {
            String modelNode = "model:" + run.runId() + ":" + value.sku() + ":" + value.location();
            if (!graph.has(modelNode)) {
                graph.node(modelNode, "model", value.model(), modelProperties(run, value));
                graph.edge(modelNode, runNode, "selectedIn");
                graph.edge(modelNode, snapshotNode, "fittedOn");
            }
            String valueNode = "forecast:" + run.runId() + ":" + value.sku() + ":" + value.location() + ":" + value.period();
            graph.node(valueNode, "forecast", value.sku() + " @ " + value.location() + " " + value.period(),
                    props("sku", value.sku(), "location", value.location(), "period", value.period(),
                            "p10", value.p10(), "p50", value.p50(), "p90", value.p90(), "model", value.model()));
            graph.edge(valueNode, modelNode, "producedBy");
            graph.edge(valueNode, runNode, "partOf");
        }
        graph.edge(runNode, snapshotNode, "read");

        Condition series = seriesCondition(run, sku, location);
        Record served = dsl.resultQuery("""
                        SELECT uniqExact(sku, location), count(), min(day), max(day), toFloat64(sum(q)),
                               countIf(changed)
                        FROM (SELECT sku, location, day, argMaxIf(quantity, version, version <= {0}) AS q,
                                     countIf(version <= {0}) > 0 AS seen, max(version) > {0} AS changed
                              FROM demand_daily WHERE {1} GROUP BY sku, location, day)
                        WHERE seen""", inline(run.dataVersion()), series).fetchOne();
        long servedRows = served == null ? 0 : served.get(1, Long.class);
        LocalDate firstDay = servedRows == 0 ? null : served.get(2, LocalDate.class);
        LocalDate lastDay = servedRows == 0 ? null : served.get(3, LocalDate.class);

        List<Record> groups = run.dataAsOf() == null || firstDay == null ? List.of() : dsl.resultQuery("""
                        SELECT batch_id, count(), min(ordered_at), max(ordered_at), groupArray({3})(line_id),
                               toFloat64(sum(quantity))
                        FROM (SELECT line_id, argMax(batch_id, version) AS batch_id, argMax(ordered_at, version) AS ordered_at,
                                     argMax(quantity, version) AS quantity
                              FROM sales_order_lines WHERE {0} AND cleaned_at <= {1} GROUP BY line_id)
                        WHERE toDate(ordered_at) BETWEEN {2} AND {4}
                        GROUP BY batch_id ORDER BY min(ordered_at) LIMIT {5}""",
                series, Timestamp.from(run.dataAsOf()), firstDay, inline(SAMPLE_KEYS), lastDay,
                inline(MAX_BATCHES + 1)).fetch();

        graph.node(snapshotNode, "snapshot", "demand as of " + run.dataAsOf(), props("dataVersion", run.dataVersion(),
                "dataAsOf", run.dataAsOf(), "seriesRead", run.seriesRead(),
                "cleanedBatchesCut", groups.size() > MAX_BATCHES ? MAX_BATCHES : null));
        String servedNode = "served:demand_daily:" + run.runId() + ":" + sku + ":" + location;
        graph.node(servedNode, "served-rows", "demand_daily " + sku + " @ " + location, props("table", "demand_daily",
                "series", served == null ? 0 : served.get(0, Long.class), "rows", servedRows, "firstDay", firstDay,
                "lastDay", lastDay, "quantity", served == null ? null : served.get(4, Double.class),
                "rowsChangedSinceRun", served == null ? 0 : served.get(5, Long.class)));
        graph.edge(snapshotNode, servedNode, "contains");

        Set<UUID> batchIds = new LinkedHashSet<>();
        for (Record group : groups.subList(0, Math.min(groups.size(), MAX_BATCHES))) {
            UUID batchId = group.get(0, UUID.class);
            batchIds.add(batchId);
            String cleanedNode = "cleaned:sales_order_lines:" + batchId;
            graph.node(cleanedNode, "cleaned-rows", "sales_order_lines from " + batchId, props("table", "sales_order_lines",
                    "batchId", batchId, "rows", group.get(1, Long.class), "firstOrderedAt", instant(group.get(2)),
                    "lastOrderedAt", instant(group.get(3)), "quantity", group.get(5, Double.class),
                    "sampleKeys", strings(group.get(4))));
            graph.edge(servedNode, cleanedNode, "aggregates");
        }
        addRawBatches(graph, batchIds, "cleaned:sales_order_lines:");
        return Optional.of(graph.build());
    }

    /**
     * Downstream lineage of one raw batch: its route, the cleaned rows it currently supplies, the
     * quarantined records, the served demand it feeds and the forecast runs that read that demand
     * after it was cleaned. Empty when no such batch was landed.
     */
    public Optional<LineageGraph> rawBatch(UUID batchId) {
        LineageGraph.Builder graph = new LineageGraph.Builder();
        Optional<String> entity = addRawBatches(graph, Set.of(batchId), null).stream().findFirst();
        if (entity.isEmpty()) {
            return Optional.empty();
        }
        String rawNode = "raw:" + batchId;
        String table = entity.get().replace('-', '_');
        String key = CLEANED_TABLE_KEY.get(table);
        if (key != null) {
            Record counts = dsl.resultQuery("SELECT count(), countIf(current) FROM (SELECT {0}, argMax(batch_id, version)"
                            + " = {1} AS current FROM {2} WHERE {0} IN (SELECT {0} FROM {2} WHERE batch_id = {1})"
                            + " GROUP BY {0})", field(name(key)), batchId, table(name(table))).fetchOne();
            String cleanedNode = "cleaned:" + table + ":" + batchId;
            graph.node(cleanedNode, "cleaned-rows", table + " from " + batchId, props("table", table, "batchId", batchId,
                    "rowsWritten", counts.get(0, Long.class), "rowsCurrent", counts.get(1, Long.class)));
            graph.edge(cleanedNode, rawNode, "cleanedFrom");
            if (table.equals("sales_order_lines")) {
                addServedAndRuns(graph, batchId, cleanedNode);
            }
        }
        Long quarantined = dsl.resultQuery("SELECT count() FROM ingest_quarantine FINAL WHERE batch_id = {0}", batchId)
                .fetchOne(0, Long.class);
        if (quarantined != null && quarantined > 0) {
            String quarantineNode = "quarantine:" + batchId;
            graph.node(quarantineNode, "quarantine", "quarantined records of " + batchId,
                    props("batchId", batchId, "records", quarantined));
            graph.edge(quarantineNode, rawNode, "rejectedFrom");
        }
        return Optional.of(graph.build());
    }

    /** The entity of a landed raw batch (its records' contract), if the batch exists. */
    public Optional<String> rawBatchEntity(UUID batchId) {
        return dsl.resultQuery("SELECT entity FROM raw_batches WHERE batch_id = {0} LIMIT 1", batchId)
                .fetchOptional(0, String.class);
    }

    /** Suppliers (cleaned, deduplicated) by code, with every column including personal data; callers mask. */
    public List<Map<String, Object>> suppliers(int offset, int limit) {
        return dsl.resultQuery("SELECT supplier, name, country, contact_email, batch_id FROM suppliers FINAL"
                        + " ORDER BY supplier LIMIT {0} OFFSET {1}", inline(limit), inline(offset))
                .fetch(r -> props("supplier", r.get(0, String.class), "name", r.get(1, String.class),
                        "country", r.get(2, String.class), "contact_email", r.get(3, String.class),
                        "batch_id", r.get(4, UUID.class)));
    }

    private void addServedAndRuns(LineageGraph.Builder graph, UUID batchId, String cleanedNode) {
        Record keys = dsl.resultQuery("""
                SELECT groupUniqArray(sku), groupUniqArray(location), uniqExact(sku, location, toDate(ordered_at)),
                       min(toDate(ordered_at)), max(toDate(ordered_at)), max(cleaned_at)
                FROM sales_order_lines FINAL WHERE batch_id = {0}""", batchId).fetchOne();
        long days = keys == null ? 0 : keys.get(2, Long.class);
        if (days == 0) {
            return;
        }
        List<String> skus = strings(keys.get(0));
        String servedNode = "served:demand_daily:" + batchId;
        graph.node(servedNode, "served-rows", "demand_daily fed by " + batchId, props("table", "demand_daily",
                "skus", skus.size() > SAMPLE_KEYS ? skus.subList(0, SAMPLE_KEYS) : skus, "skuCount", skus.size(),
                "locations", strings(keys.get(1)), "rows", days, "firstDay", keys.get(3, LocalDate.class),
                "lastDay", keys.get(4, LocalDate.class)));
        graph.edge(servedNode, cleanedNode, "aggregates");
        Instant cleanedAt = instant(keys.get(5));
        // A run read the batch when it snapshotted demand after the batch was cleaned and its scope
        // covers one of the batch's SKUs (an empty scope list means all SKUs).
        dsl.resultQuery("""
                        SELECT run_id, status, grain, started_at, data_as_of FROM forecast_runs FINAL
                        WHERE status = 'SUCCEEDED' AND data_as_of >= {0}
                          AND (empty(scope_skus) OR hasAny(scope_skus, {1}))
                        ORDER BY started_at DESC LIMIT 20""",
                        Timestamp.from(cleanedAt), field("[{0}]", org.jooq.impl.DSL.list(skus.stream().map(org.jooq.impl.DSL::inline).toList())))
                .forEach(r -> {
                    String runNode = "run:" + r.get(0, String.class);
                    graph.node(runNode, "run", r.get(0, String.class), props("runId", r.get(0, String.class),
                            "status", r.get(1, String.class), "grain", r.get(2, String.class),
                            "startedAt", instant(r.get(3)), "dataAsOf", instant(r.get(4))));
                    graph.edge(runNode, servedNode, "read");
                });
    }

    /** Adds raw-batch and route nodes (and edges from {@code fromPrefix + batchId}); returns the entities found. */
    private Set<String> addRawBatches(LineageGraph.Builder graph, Set<UUID> batchIds, String fromPrefix) {
        Set<String> entities = new LinkedHashSet<>();
        if (batchIds.isEmpty()) {
            return entities;
        }
        List<Record> batches = dsl.resultQuery("""
                        SELECT b.batch_id, b.seq, b.source, b.route_id, b.entity, b.source_ref, b.received_at,
                               b.record_count, b.payload_bytes, b.prev_hash, b.batch_hash, i.contract, i.cleaned,
                               i.quarantined
                        FROM raw_batches AS b
                        LEFT JOIN (SELECT * FROM ingest_batches FINAL WHERE {0}) AS i ON i.batch_id = b.batch_id
                        WHERE {1} ORDER BY b.route_id, b.seq""",
                BATCH_ID.in(batchIds), field(name("b", "batch_id"), UUID.class).in(batchIds)).fetch();
        Set<String> routeIds = new LinkedHashSet<>();
        for (Record b : batches) {
            UUID batchId = b.get(0, UUID.class);
            String routeId = b.get(3, String.class);
            String rawNode = "raw:" + batchId;
            entities.add(b.get(4, String.class));
            String contract = b.get(11, String.class);
            graph.node(rawNode, "raw-batch", routeId + " #" + b.get(1, Long.class), props("batchId", batchId,
                    "seq", b.get(1, Long.class), "source", b.get(2, String.class), "routeId", routeId,
                    "entity", b.get(4, String.class), "sourceRef", b.get(5, String.class),
                    "receivedAt", instant(b.get(6)), "records", b.get(7, Long.class), "payloadBytes", b.get(8, Long.class),
                    "prevHash", b.get(9, String.class), "batchHash", b.get(10, String.class),
                    "contract", contract == null || contract.isEmpty() ? null : contract,
                    "cleaned", contract == null || contract.isEmpty() ? null : b.get(12, Long.class),
                    "quarantined", contract == null || contract.isEmpty() ? null : b.get(13, Long.class)));
            if (fromPrefix != null) {
                graph.edge(fromPrefix + batchId, rawNode, "cleanedFrom");
            }
            graph.edge(rawNode, "route:" + routeId, "landedBy");
            if (routeIds.add(routeId)) {
                graph.node("route:" + routeId, "route", routeId, props("routeId", routeId, "source", b.get(2, String.class),
                        "entity", b.get(4, String.class)));
            }
        }
        if (!routeIds.isEmpty()) {
            // Routes defined as data carry their kind and state; uploads and the demo feed have no definition.
            dsl.resultQuery("SELECT route_id, kind, desired_state, deleted FROM ingest_routes FINAL WHERE {0}",
                    field(name("route_id"), String.class).in(routeIds)).forEach(r -> {
                LineageGraph.Node node = graph.node("route:" + r.get(0, String.class), "route", null, null);
                node.properties().put("kind", r.get(1, String.class));
                node.properties().put("desiredState", r.get(2, String.class));
                node.properties().put("deleted", r.get(3, Integer.class) != 0);
            });
        }
        return entities;
    }

    private Map<String, Object> modelProperties(RunRow run, ForecastRow value) {
        Map<String, Object> properties = props("model", value.model(), "sku", value.sku(), "location", value.location(),
                "codeVersion", run.codeVersion(), "provenance", run.trainerProvenance());
        if (!"*".equals(value.sku()) && !"*".equals(value.location())) {
            dsl.resultQuery("SELECT mase, smape, wape, bias, coverage_p10_p90 FROM forecast_series_accuracy"
                            + " WHERE run_id = {0} AND sku = {1} AND location = {2} LIMIT 1", run.runId(), value.sku(),
                    value.location()).fetchOptional().ifPresent(a -> properties.put("backtest", props(
                    "mase", a.get(0, Double.class), "smape", a.get(1, Double.class), "wape", a.get(2, Double.class),
                    "bias", a.get(3, Double.class), "coverageP10P90", a.get(4, Double.class))));
        }
        return properties;
    }

    /** The series a forecast value stands for: one SKU and location, or on aggregate levels ('*') the run's scope. */
    private Condition seriesCondition(RunRow run, String sku, String location) {
        Condition c = noCondition();
        if (!"*".equals(sku)) {
            c = c.and(SKU.eq(sku));
        } else if (!run.skus().isEmpty()) {
            c = c.and(SKU.in(run.skus()));
        }
        if (!"*".equals(location)) {
            c = c.and(LOCATION.eq(location));
        } else if (!run.locations().isEmpty()) {
            c = c.and(LOCATION.in(run.locations()));
        }
        if (!run.categories().isEmpty()) {
            c = c.and(SKU.in(select(SKU).from(table("products FINAL"))
                    .where(field(name("category"), String.class).in(run.categories()))));
        }
        return c;
    }

    private static List<String> strings(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.stream(array).map(String::valueOf).toList();
        }
        if (value instanceof java.sql.Array sqlArray) {
            try {
                return Arrays.stream((Object[]) sqlArray.getArray()).map(String::valueOf).toList();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp t -> t.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case OffsetDateTime o -> o.toInstant();
            case java.time.ZonedDateTime z -> z.toInstant();
            case Instant i -> i;
            default -> throw new IllegalArgumentException("not a timestamp: " + value.getClass());
        };
    }
}
