package io.refinery.warehouse.ingest;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.ingest.IngestRecords.BatchOutcome;
import io.refinery.warehouse.ingest.IngestRecords.DriftEntry;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.RawBatchInfo;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.list;

/**
 * The ingestion bookkeeping: batch outcomes, quarantine, drift findings, and the read side that
 * turns them into counters and a reconciliation against the raw layer.
 */
@Component
public class IngestionLedger {

    /** Cleaned table and its key columns, per entity name used in URLs and contracts. */
    static final Map<String, CleanedTable> CLEANED_TABLES = Map.of(
            "sales-order-lines", new CleanedTable("sales_order_lines", "line_id"),
            "purchase-order-lines", new CleanedTable("purchase_order_lines", "po_line_id"),
            "receipts", new CleanedTable("receipts", "receipt_id"),
            "iot-readings", new CleanedTable("iot_readings", "device_id, metric, observed_at"),
            "products", new CleanedTable("products", "sku"),
            "locations", new CleanedTable("locations", "location"),
            "suppliers", new CleanedTable("suppliers", "supplier"));

    record CleanedTable(String table, String orderBy) {
    }

    private final DSLContext dsl;
    private final BulkInserter inserter;

    IngestionLedger(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    // ---- writes -------------------------------------------------------------------------------

    public void recordOutcome(BatchOutcome o) {
        long version = Versions.next();
        inserter.insertRowBinary("ingest_batches", List.of("batch_id", "route_id", "entity", "source", "source_ref",
                "contract", "received", "landed", "cleaned", "quarantined", "duplicates", "served", "received_at",
                "processed_at", "version"), w -> w.uuid(o.batchId()).string(o.routeId()).string(o.entity())
                .string(o.source()).string(o.sourceRef()).string(o.contract()).uint32(o.received()).uint32(o.landed())
                .uint32(o.cleaned()).uint32(o.quarantined()).uint32(o.duplicates()).uint32(o.served())
                .dateTime64Millis(o.receivedAt()).dateTime64Millis(o.processedAt()).uint64(version));
    }

    public void quarantine(Collection<QuarantineEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long version = Versions.next();
        inserter.insertRowBinary("ingest_quarantine", List.of("batch_id", "record_no", "route_id", "entity", "contract",
                "rule", "field", "value", "reason", "status", "correction", "quarantined_at", "updated_at", "version"),
                w -> {
                    for (QuarantineEntry e : entries) {
                        w.uuid(e.batchId()).uint32(e.recordNo()).string(e.routeId()).string(e.entity())
                                .string(e.contract()).string(e.rule()).string(e.field()).string(e.value())
                                .string(e.reason()).string(e.status()).string(e.correction())
                                .dateTime64Millis(e.quarantinedAt()).dateTime64Millis(e.updatedAt()).uint64(version);
                    }
                });
    }

    public void recordDrift(Collection<DriftEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        inserter.insertRowBinary("ingest_drift", List.of("route_id", "entity", "batch_id", "detected_at", "change",
                "column_name", "detail", "policy", "action"), w -> {
            for (DriftEntry e : entries) {
                w.string(e.routeId()).string(e.entity()).uuid(e.batchId()).dateTime64Millis(e.detectedAt())
                        .string(e.change()).string(e.column()).string(e.detail()).string(e.policy()).string(e.action());
            }
        });
    }

    // ---- reads --------------------------------------------------------------------------------

    public Optional<BatchOutcome> outcome(UUID batchId) {
        return dsl.fetch("""
                SELECT toString(batch_id), route_id, entity, source, source_ref, contract, received, landed, cleaned,
                       quarantined, duplicates, served, toUnixTimestamp64Milli(received_at),
                       toUnixTimestamp64Milli(processed_at)
                FROM ingest_batches FINAL WHERE batch_id = {0}""", inline(batchId.toString()))
                .stream().findFirst().map(IngestionLedger::outcomeOf);
    }

    /** Outcomes of the given batches that exist (for skipping re-delivered, fully processed batches). */
    public Set<UUID> processedBatches(Collection<UUID> batchIds) {
        if (batchIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(dsl.fetch("SELECT toString(batch_id) FROM ingest_batches WHERE batch_id IN ({0})",
                list(batchIds.stream().map(id -> inline(id.toString())).toList()))
                .map(r -> UUID.fromString(r.get(0, String.class))));
    }

    public Optional<RawBatchInfo> rawBatch(UUID batchId) {
        return dsl.fetch("""
                SELECT toString(batch_id), source, route_id, entity, source_ref, toUnixTimestamp64Milli(received_at),
                       record_count
                FROM raw_batches WHERE batch_id = {0}""", inline(batchId.toString()))
                .stream().findFirst().map(IngestionLedger::rawOf);
    }

    /** Raw batches of an entity (and route, when given) received in [from, to), oldest first. */
    public List<RawBatchInfo> rawBatches(String entity, String routeId, Instant from, Instant to) {
        return dsl.fetch("""
                SELECT toString(batch_id), source, route_id, entity, source_ref, toUnixTimestamp64Milli(received_at),
                       record_count
                FROM raw_batches
                WHERE entity = {0} AND ({1} = '' OR route_id = {1})
                  AND received_at >= fromUnixTimestamp64Milli({2}, 'UTC') AND received_at < fromUnixTimestamp64Milli({3}, 'UTC')
                ORDER BY received_at, route_id, seq""",
                inline(entity), inline(routeId == null ? "" : routeId), inline(from.toEpochMilli()),
                inline(to.toEpochMilli())).map(IngestionLedger::rawOf);
    }

    /** Raw batches landed without an outcome (a crash between landing and cleaning). */
    public List<RawBatchInfo> unprocessedBatches(String routeId) {
        return dsl.fetch("""
                SELECT toString(batch_id), source, route_id, entity, source_ref, toUnixTimestamp64Milli(received_at),
                       record_count
                FROM raw_batches
                WHERE ({0} = '' OR route_id = {0}) AND batch_id NOT IN (SELECT batch_id FROM ingest_batches)
                ORDER BY route_id, seq""", inline(routeId == null ? "" : routeId)).map(IngestionLedger::rawOf);
    }

    /** Quarantine rows (latest version of each) matching the filters; blank filters match all. */
    public List<QuarantineEntry> quarantined(String routeId, String entity, String status, Collection<UUID> batchIds,
                                             int limit) {
        String batchFilter = batchIds == null || batchIds.isEmpty() ? "1" : "batch_id IN ("
                + String.join(",", batchIds.stream().map(id -> "'" + id + "'").toList()) + ")";
        return dsl.fetch("""
                SELECT toString(batch_id), record_no, route_id, entity, contract, rule, field, value, reason, status,
                       correction, toUnixTimestamp64Milli(quarantined_at), toUnixTimestamp64Milli(updated_at)
                FROM ingest_quarantine FINAL
                WHERE ({0} = '' OR route_id = {0}) AND ({1} = '' OR entity = {1}) AND ({2} = '' OR status = {2})
                  AND """ + " " + batchFilter + " " + """
                ORDER BY batch_id, record_no
                LIMIT {3}""", inline(nz(routeId)), inline(nz(entity)), inline(nz(status)), inline(limit))
                .map(r -> new QuarantineEntry(UUID.fromString(r.get(0, String.class)), r.get(1, Integer.class),
                        r.get(2, String.class), r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                        r.get(6, String.class), r.get(7, String.class), r.get(8, String.class), r.get(9, String.class),
                        r.get(10, String.class), Instant.ofEpochMilli(r.get(11, Long.class)),
                        Instant.ofEpochMilli(r.get(12, Long.class))));
    }

    public List<DriftEntry> drift(String routeId, int limit) {
        return dsl.fetch("""
                SELECT route_id, entity, toString(batch_id), toUnixTimestamp64Milli(detected_at), change, column_name,
                       detail, policy, action
                FROM ingest_drift WHERE ({0} = '' OR route_id = {0})
                ORDER BY detected_at DESC LIMIT {1}""", inline(nz(routeId)), inline(limit))
                .map(r -> new DriftEntry(r.get(0, String.class), r.get(1, String.class),
                        UUID.fromString(r.get(2, String.class)), Instant.ofEpochMilli(r.get(3, Long.class)),
                        r.get(4, String.class), r.get(5, String.class), r.get(6, String.class), r.get(7, String.class),
                        r.get(8, String.class)));
    }

    /** Totals per route; the overall totals are the row with route id "*". */
    public List<RouteTotals> totals() {
        List<RouteTotals> totals = new ArrayList<>(dsl.fetch("""
                SELECT if(grouping(route_id) = 1, '*', route_id) AS route, count(), sum(received), sum(landed),
                       sum(cleaned), sum(quarantined), sum(duplicates), sum(served),
                       toUnixTimestamp64Milli(max(received_at)), toUnixTimestamp64Milli(max(processed_at)),
                       sumIf(received, processed_at > now64(3) - INTERVAL 5 MINUTE) / 300.0,
                       avg(dateDiff('millisecond', received_at, processed_at))
                FROM ingest_batches FINAL
                GROUP BY ROLLUP(route_id)
                ORDER BY route""").map(r -> new RouteTotals(r.get(0, String.class), r.get(1, Long.class),
                r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class),
                r.get(6, Long.class), r.get(7, Long.class), Instant.ofEpochMilli(r.get(8, Long.class)),
                Instant.ofEpochMilli(r.get(9, Long.class)), r.get(10, Double.class), r.get(11, Double.class))));
        return totals;
    }

    /**
     * Proves per route that nothing was lost or double counted: outcome counts against the raw
     * manifests, the raw records themselves, and the quarantine rows.
     */
    public List<Reconciliation> reconcile() {
        return dsl.fetch("""
                SELECT m.route_id,
                       sum(o.received), sum(m.record_count), sum(r.n), sum(o.cleaned), sum(o.quarantined),
                       sum(q.n), sum(o.duplicates), countIf(o.batch_id IS NULL)
                FROM raw_batches AS m
                LEFT JOIN (SELECT * FROM ingest_batches FINAL) AS o ON o.batch_id = m.batch_id
                LEFT JOIN (SELECT batch_id, sum(record_span) AS n FROM raw_records GROUP BY batch_id) AS r ON r.batch_id = m.batch_id
                LEFT JOIN (SELECT batch_id, countIf(status = 'open') AS n FROM ingest_quarantine FINAL GROUP BY batch_id)
                     AS q ON q.batch_id = m.batch_id
                GROUP BY m.route_id
                ORDER BY m.route_id
                SETTINGS join_use_nulls = 1""")
                .map(r -> new Reconciliation(r.get(0, String.class), num(r, 1), num(r, 2), num(r, 3), num(r, 4),
                        num(r, 5), num(r, 6), num(r, 7), num(r, 8)));
    }

    // ---- cleaned layer maintenance for replay -------------------------------------------------

    /** Removes the cleaned rows that came from the given raw batches, so a replay can rebuild them. */
    public void deleteCleanedRows(String entity, Collection<UUID> batchIds) {
        if (batchIds.isEmpty()) {
            return;
        }
        dsl.execute("DELETE FROM " + table(entity).table() + " WHERE batch_id IN ({0})",
                list(batchIds.stream().map(id -> inline(id.toString())).toList()));
    }

    /**
     * The current cleaned rows of an entity (deduplicated, without the wall-clock cleaned_at), one
     * tab-separated line each in key order; for comparing a replay with the online result.
     */
    public List<String> cleanedSnapshot(String entity) {
        CleanedTable t = table(entity);
        String except = t.table().equals("products") || t.table().equals("locations")
                || t.table().equals("suppliers") ? "" : " EXCEPT (cleaned_at)";
        return dsl.fetch("SELECT * " + except + " FROM " + t.table() + " FINAL ORDER BY " + t.orderBy())
                .map(IngestionLedger::line);
    }

    /** The served daily demand (without refresh versions), in key order. */
    public List<String> servedDemandSnapshot() {
        return dsl.fetch("""
                SELECT sku, location, day, quantity, order_lines, revenue FROM demand_daily FINAL
                WHERE order_lines > 0 ORDER BY sku, location, day""").map(IngestionLedger::line);
    }

    /** The served lead times (without refresh versions), in key order. */
    public List<String> servedLeadTimeSnapshot() {
        return dsl.fetch("""
                SELECT * EXCEPT (version) FROM lead_times FINAL ORDER BY po_line_id""").map(IngestionLedger::line);
    }

    /** Number of rows (deduplicated) in an entity's cleaned table. */
    public long cleanedCount(String entity) {
        return ((Number) dsl.fetchValue("SELECT count() FROM " + table(entity).table() + " FINAL")).longValue();
    }

    private static CleanedTable table(String entity) {
        CleanedTable t = CLEANED_TABLES.get(entity);
        if (t == null) {
            throw new IllegalArgumentException("unknown entity " + entity);
        }
        return t;
    }

    private static String line(Record r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            if (i > 0) {
                b.append('\t');
            }
            b.append(r.get(i));
        }
        return b.toString();
    }

    private static long num(Record r, int i) {
        Number n = r.get(i, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static BatchOutcome outcomeOf(Record r) {
        return new BatchOutcome(UUID.fromString(r.get(0, String.class)), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, String.class), r.get(5, String.class), r.get(6, Integer.class),
                r.get(7, Integer.class), r.get(8, Integer.class), r.get(9, Integer.class), r.get(10, Integer.class),
                r.get(11, Integer.class), Instant.ofEpochMilli(r.get(12, Long.class)),
                Instant.ofEpochMilli(r.get(13, Long.class)));
    }

    private static RawBatchInfo rawOf(Record r) {
        return new RawBatchInfo(UUID.fromString(r.get(0, String.class)), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, String.class), Instant.ofEpochMilli(r.get(5, Long.class)),
                r.get(6, Integer.class));
    }
}
