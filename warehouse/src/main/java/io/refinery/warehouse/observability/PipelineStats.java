package io.refinery.warehouse.observability;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What operations watch, read from the warehouse itself: storage per layer (active parts), freshness
 * per source (last landing) and per cleaned table (newest event time), and short windows of the
 * ingestion ledger per route (landed and quarantined in the last hour, landed today vs. yesterday).
 * Each call is one or two small aggregate queries; callers cache the results between scrapes.
 */
@Component
public class PipelineStats {

    /** The layers storage is reported by; every table belongs to exactly one ({@code ops} by default). */
    public static final List<String> LAYERS = List.of("raw", "cleaned", "served", "quarantine", "ops");

    private static final Map<String, String> LAYER_OF = layers();

    /** Cleaned tables with an event time: the column whose newest value says how current the data is. */
    private static final Map<String, String> EVENT_TIME = Map.of(
            "sales_order_lines", "ordered_at",
            "purchase_order_lines", "ordered_at",
            "receipts", "received_at",
            "iot_readings", "observed_at");

    public record TableStorage(String table, String layer, long rows, long bytesOnDisk, long bytesUncompressed) {
    }

    public record LayerStorage(String layer, int tables, long rows, long bytesOnDisk, long bytesUncompressed) {
    }

    /** The newest landing of a route's source (raw manifests). */
    public record SourceFreshness(String routeId, String source, String entity, Instant lastLandedAt) {
    }

    /** The newest event time and the newest cleaned row of a cleaned table; null when it is empty. */
    public record TableFreshness(String table, Instant maxEventTime, Instant lastCleanedAt) {
    }

    /** One route's ledger in short windows ending now. */
    public record RouteWindow(String routeId, long landedLastHour, long quarantinedLastHour, long landedLast24h,
                              long landedPrevious24h) {
    }

    private final DSLContext dsl;

    PipelineStats(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** The layer of a table; cluster mode's replicated {@code t_local} belongs where {@code t} does. */
    public static String layerOf(String table) {
        String name = table.endsWith("_local") ? table.substring(0, table.length() - "_local".length()) : table;
        return LAYER_OF.getOrDefault(name, "ops");
    }

    public List<TableStorage> storageByTable() {
        return dsl.fetch("""
                        SELECT table, toInt64(sum(rows)) AS rows, toInt64(sum(bytes_on_disk)) AS disk,
                               toInt64(sum(data_uncompressed_bytes)) AS raw_bytes
                        FROM system.parts WHERE database = currentDatabase() AND active
                        GROUP BY table ORDER BY table""")
                .map(r -> new TableStorage(r.get(0, String.class), layerOf(r.get(0, String.class)),
                        r.get(1, Long.class), r.get(2, Long.class), r.get(3, Long.class)));
    }

    /** Every layer, also the empty ones (a gauge that disappears looks like a scrape failure). */
    public List<LayerStorage> storageByLayer() {
        Map<String, long[]> sums = new LinkedHashMap<>();
        LAYERS.forEach(l -> sums.put(l, new long[4]));
        for (TableStorage t : storageByTable()) {
            long[] s = sums.get(t.layer());
            s[0]++;
            s[1] += t.rows();
            s[2] += t.bytesOnDisk();
            s[3] += t.bytesUncompressed();
        }
        List<LayerStorage> layers = new ArrayList<>();
        sums.forEach((layer, s) -> layers.add(new LayerStorage(layer, (int) s[0], s[1], s[2], s[3])));
        return layers;
    }

    public List<SourceFreshness> sources() {
        return dsl.fetch("""
                        SELECT route_id, any(source), any(entity), max(received_at)
                        FROM raw_batches GROUP BY route_id ORDER BY route_id""")
                .map(r -> new SourceFreshness(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        instant(r, 3)));
    }

    public List<TableFreshness> tables() {
        StringBuilder sql = new StringBuilder();
        for (var e : EVENT_TIME.entrySet()) {
            if (!sql.isEmpty()) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '").append(e.getKey()).append("' AS t, toInt64(count()) AS n, max(")
                    .append(e.getValue()).append(") AS event, max(cleaned_at) AS cleaned FROM ").append(e.getKey());
        }
        return dsl.fetch(sql + " ORDER BY t").stream()
                .filter(r -> r.get(1, Long.class) > 0)
                .map(r -> new TableFreshness(r.get(0, String.class), instant(r, 2), instant(r, 3)))
                .toList();
    }

    public List<RouteWindow> routeWindows() {
        return dsl.fetch("""
                        SELECT route_id,
                               toInt64(sumIf(landed, received_at >= now64(3) - INTERVAL 1 HOUR)),
                               toInt64(sumIf(quarantined, received_at >= now64(3) - INTERVAL 1 HOUR)),
                               toInt64(sumIf(landed, received_at >= now64(3) - INTERVAL 1 DAY)),
                               toInt64(sumIf(landed, received_at < now64(3) - INTERVAL 1 DAY))
                        FROM ingest_batches FINAL
                        WHERE received_at >= now64(3) - INTERVAL 2 DAY
                        GROUP BY route_id ORDER BY route_id""")
                .map(r -> new RouteWindow(r.get(0, String.class), r.get(1, Long.class), r.get(2, Long.class),
                        r.get(3, Long.class), r.get(4, Long.class)));
    }

    /** The table's DDL as the engine reports it (shows TTLs and engines). */
    public Optional<String> createTableQuery(String table) {
        return dsl.fetchOptional("SELECT create_table_query FROM system.tables WHERE database = currentDatabase() "
                + "AND name = {0}", org.jooq.impl.DSL.val(table)).map(r -> r.get(0, String.class));
    }

    private static Instant instant(Record r, int index) {
        Object value = r.get(index);
        Instant at = switch (value) {
            case null -> null;
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant();
            case Instant i -> i;
            default -> Instant.parse(value.toString().replace(' ', 'T') + (value.toString().endsWith("Z") ? "" : "Z"));
        };
        return at == null || at.toEpochMilli() <= 0 ? null : at;
    }

    private static Map<String, String> layers() {
        Map<String, String> m = new LinkedHashMap<>();
        Set.of("raw_batches", "raw_records").forEach(t -> m.put(t, "raw"));
        Set.of("sales_order_lines", "purchase_order_lines", "receipts", "iot_readings", "products", "locations",
                "suppliers").forEach(t -> m.put(t, "cleaned"));
        // Forecasts and flags are served to planners as much as demand is.
        Set.of("demand_daily", "lead_times", "forecasts", "forecast_series_accuracy", "lead_time_anomalies",
                "forecast_overrides").forEach(t -> m.put(t, "served"));
        m.put("ingest_quarantine", "quarantine");
        return Map.copyOf(m);
    }
}
