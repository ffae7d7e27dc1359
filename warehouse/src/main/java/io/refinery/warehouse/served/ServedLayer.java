package io.refinery.warehouse.served;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.RowBinaryWriter;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Keeps the served aggregates up to date incrementally: a refresh recomputes only the keys a batch
 * touched, from the deduplicated cleaned rows (FINAL), and writes them with a newer version. Late
 * and out-of-order events simply touch an old key; a key whose rows all moved away is written as 0.
 */
@Component
public class ServedLayer {

    /** One cell of daily demand. */
    public record DemandKey(String sku, String location, LocalDate day) {
    }

    /**
     * The daily-demand cells a set of order lines touches, kept as a superset: the SKUs and the day
     * span. Small whatever the number of lines (a refresh recomputes the span anyway), so one can
     * collect the touch of a whole file and refresh once instead of once per batch.
     */
    public static final class DemandTouch {
        private final Set<String> skus = new HashSet<>();
        private LocalDate from;
        private LocalDate to;

        public void add(String sku, LocalDate day) {
            skus.add(sku);
            from = from == null || day.isBefore(from) ? day : from;
            to = to == null || day.isAfter(to) ? day : to;
        }

        public void addAll(DemandTouch other) {
            if (!other.isEmpty()) {
                skus.addAll(other.skus);
                add(other.skus.iterator().next(), other.from);
                add(other.skus.iterator().next(), other.to);
            }
        }

        public boolean isEmpty() {
            return skus.isEmpty();
        }

        Set<String> skus() {
            return Set.copyOf(skus);
        }

        LocalDate from() {
            return from;
        }

        LocalDate to() {
            return to;
        }
    }

    private final DSLContext dsl;
    private final BulkInserter inserter;

    ServedLayer(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    /** Keys per statement: ClickHouse limits a statement's text to 256 KiB (max_query_size). */
    static final int KEYS_PER_STATEMENT = 2_000;

    /** The demand cells the given order lines currently count in (before a correction moves them). */
    public List<DemandKey> demandKeysOf(Collection<String> lineIds) {
        List<DemandKey> keys = new ArrayList<>();
        for (List<String> chunk : chunks(lineIds, KEYS_PER_STATEMENT)) {
            keys.addAll(dsl.selectDistinct(field(name("sku"), String.class), field(name("location"), String.class),
                            field("toDate(ordered_at)", LocalDate.class))
                    .from(table(name("sales_order_lines")))
                    .where(field(name("line_id"), String.class).in(chunk))
                    .fetch(r -> new DemandKey(r.value1(), r.value2(), r.value3())));
        }
        return keys;
    }

    /**
     * Adds the cells the given order lines currently count in (before a re-delivery or correction
     * moves them) to {@code touch}. The ids go to the engine as a RowBinary body and are matched with
     * IN (subquery) there: as an IN literal, parsing the statement cost seconds per 100 k ids.
     */
    public void addDemandCellsOf(Collection<String> lineIds, DemandTouch touch) {
        if (lineIds.isEmpty()) {
            return;
        }
        ByteArrayOutputStream rows = new ByteArrayOutputStream(lineIds.size() * 16);
        RowBinaryWriter writer = new RowBinaryWriter(rows);
        byte[] first = null;
        byte[] last = null;
        for (String lineId : lineIds) {
            byte[] utf8 = lineId.getBytes(StandardCharsets.UTF_8);
            writer.bytes(utf8);
            if (first == null || Arrays.compareUnsigned(utf8, first) < 0) {
                first = utf8;
            }
            if (last == null || Arrays.compareUnsigned(utf8, last) > 0) {
                last = utf8;
            }
        }
        addDemandCellsOfRowBinary(rows.toByteArray(), new String(first, StandardCharsets.UTF_8),
                new String(last, StandardCharsets.UTF_8), List.of(), touch);
    }

    /**
     * As {@link #addDemandCellsOf(Collection, DemandTouch)}, for line ids already encoded as RowBinary
     * strings (a reader that never made them Strings), all between {@code firstLineId} and {@code lastLineId}
     * in byte order, as the engine compares strings, not counting the lines of the batches {@code notIn}: the
     * caller adds those batches' cells itself (a file's earlier blocks, whose ids share the range of the block
     * after them, but whose cells the file refreshes anyway). When no other line of the table lies there — new
     * lines of an export whose ids grow — the primary key says so at once, and nothing is looked up. Else the
     * engine writes the cells it finds to a scratch table under a token, and they are read back from there
     * (input() serves only INSERT … SELECT).
     */
    public void addDemandCellsOfRowBinary(byte[] lineIdRows, String firstLineId, String lastLineId,
                                          Collection<UUID> notIn, DemandTouch touch) {
        if (lineIdRows.length == 0) {
            return;
        }
        String others = notIn.isEmpty() ? "" : " AND batch_id NOT IN (" + notIn.stream()
                .map(id -> "toUUID('" + id + "')").collect(Collectors.joining(", ")) + ")";
        Number linesBetween = (Number) dsl.fetchValue("SELECT count() FROM (SELECT 1 FROM sales_order_lines"
                + " WHERE line_id >= {0} AND line_id <= {1}" + others + " LIMIT 1)", firstLineId, lastLineId);
        if (linesBetween.longValue() > 0) {
            lookUpDemandCells(lineIdRows, firstLineId, lastLineId, others, touch);
        }
    }

    /**
     * The lines are matched by their ids' CRC-32 (zlib's, as the engine's {@code CRC32}) within their range
     * of ids, not by the ids: the engine's set of a million strings cost 0.2 CPU s to build, of as many
     * integers a tenth of it. A line whose id only shares a checksum adds a cell that is refreshed for
     * nothing, which is still correct (a refresh recomputes a cell from cleaned); no line is missed.
     */
    private void lookUpDemandCells(byte[] lineIdRows, String firstLineId, String lastLineId, String others,
                                   DemandTouch touch) {
        UUID token = UUID.randomUUID();
        inserter.insertSelect(dsl.renderInlined(dsl.query("INSERT INTO served_cell_lookup (token, sku, day)"
                + " SELECT DISTINCT toUUID({0}), sku, toDate(ordered_at) FROM sales_order_lines"
                + " WHERE line_id >= {1} AND line_id <= {2}" + others
                + " AND CRC32(line_id) IN (SELECT crc FROM input('crc UInt32'))", token.toString(), firstLineId,
                lastLineId)), "RowBinary", crc32sOf(lineIdRows));
        dsl.resultQuery("SELECT sku, toString(day) FROM served_cell_lookup WHERE token = {0}",
                        org.jooq.impl.DSL.inline(token))
                .forEach(r -> touch.add(r.get(0, String.class), LocalDate.parse(r.get(1, String.class))));
    }

    /** The CRC-32 of each RowBinary string in {@code rows}, as RowBinary UInt32. */
    private static byte[] crc32sOf(byte[] rows) {
        ByteArrayOutputStream crcs = new ByteArrayOutputStream(rows.length / 2);
        RowBinaryWriter writer = new RowBinaryWriter(crcs);
        CRC32 crc = new CRC32();
        for (int i = 0; i < rows.length; ) {
            int length = 0;
            for (int shift = 0; ; shift += 7) { // the string's length, a LEB128 varint
                byte b = rows[i++];
                length |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
            }
            crc.reset();
            crc.update(rows, i, length);
            writer.uint32(crc.getValue());
            i += length;
        }
        return crcs.toByteArray();
    }

    private static List<List<String>> chunks(Collection<String> values, int size) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(values));
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += size) {
            chunks.add(sorted.subList(i, Math.min(sorted.size(), i + size)));
        }
        return chunks;
    }

    /** Recomputes daily demand for the touched cells (see {@link #refreshDemand(DemandTouch)}). */
    public void refreshDemand(Collection<DemandKey> touched) {
        DemandTouch touch = new DemandTouch();
        touched.forEach(k -> touch.add(k.sku(), k.day()));
        refreshDemand(touch);
    }

    /**
     * Recomputes daily demand for the touched cells. The refresh covers the touched SKUs over the
     * touched date span, a superset of the cells that is still correct (every cell in it is
     * recomputed from the deduplicated rows) and keeps the SQL short; beyond
     * {@value #KEYS_PER_STATEMENT} SKUs it covers all SKUs of the span, which costs one scan either way.
     */
    public void refreshDemand(DemandTouch touched) {
        if (touched.isEmpty()) {
            return;
        }
        String skuFilter = touched.skus.size() > KEYS_PER_STATEMENT ? "1 = 1" : "sku IN ({0})";
        dsl.execute(("""
                INSERT INTO demand_daily (sku, location, day, quantity, order_lines, revenue, version)
                SELECT sku, location, day, sum(q), toUInt32(sum(n)), sum(rev), toUInt64(toUnixTimestamp64Nano(now64(9)))
                FROM (
                    SELECT sku, location, toDate(ordered_at) AS day, sum(quantity) AS q, count() AS n,
                           sum(quantity * ifNull(unit_price, toDecimal64(0, 4))) AS rev
                    FROM sales_order_lines FINAL
                    WHERE SKU_FILTER AND ordered_at >= toDateTime64({1}, 3, 'UTC')
                      AND ordered_at < toDateTime64({2}, 3, 'UTC') + INTERVAL 1 DAY
                    GROUP BY sku, location, day
                    UNION ALL
                    SELECT sku, location, day, toDecimal128(0, 4), 0, toDecimal128(0, 4)
                    FROM demand_daily FINAL
                    WHERE SKU_FILTER AND day BETWEEN {1} AND {2}
                )
                GROUP BY sku, location, day""").replace("SKU_FILTER", skuFilter),
                org.jooq.impl.DSL.list(new TreeSet<>(touched.skus).stream().limit(KEYS_PER_STATEMENT)
                        .map(org.jooq.impl.DSL::inline).toList()),
                org.jooq.impl.DSL.inline(touched.from.toString()), org.jooq.impl.DSL.inline(touched.to.toString()));
    }

    /** The PO lines that existing receipts point to (a corrected receipt may move to another line). */
    public List<String> poLinesOfReceipts(Collection<String> receiptIds) {
        List<String> poLines = new ArrayList<>();
        for (List<String> chunk : chunks(receiptIds, KEYS_PER_STATEMENT)) {
            poLines.addAll(dsl.selectDistinct(field(name("po_line_id"), String.class))
                    .from(table(name("receipts")))
                    .where(field(name("receipt_id"), String.class).in(chunk))
                    .fetch(0, String.class));
        }
        return poLines;
    }

    /** Recomputes lead time and delay for the given PO lines from their order and receipts. */
    public void refreshLeadTimes(Collection<String> poLineIds) {
        for (List<String> chunk : chunks(poLineIds, KEYS_PER_STATEMENT)) {
            refreshLeadTimeChunk(chunk);
        }
    }

    private void refreshLeadTimeChunk(List<String> poLineIds) {
        var ids = org.jooq.impl.DSL.list(poLineIds.stream().map(org.jooq.impl.DSL::inline).toList());
        dsl.execute("""
                INSERT INTO lead_times (po_line_id, supplier, sku, location, ordered_quantity, ordered_at, promised_date,
                                        first_received_at, last_received_at, received_quantity, lead_time_days,
                                        delay_days, version)
                SELECT p.po_line_id, p.supplier, p.sku, p.location, p.quantity, p.ordered_at, p.promised_date,
                       r.first_at, r.last_at, ifNull(r.qty, toDecimal128(0, 4)),
                       if(r.n > 0, dateDiff('second', p.ordered_at, r.first_at) / 86400.0, NULL),
                       if(r.n > 0, dateDiff('second', toDateTime64(p.promised_date, 3, 'UTC'), r.first_at) / 86400.0, NULL),
                       toUInt64(toUnixTimestamp64Nano(now64(9)))
                FROM (SELECT * FROM purchase_order_lines FINAL WHERE po_line_id IN ({0})) AS p
                LEFT JOIN (
                    SELECT po_line_id, min(received_at) AS first_at, max(received_at) AS last_at,
                           sum(quantity) AS qty, count() AS n
                    FROM receipts FINAL WHERE po_line_id IN ({0}) GROUP BY po_line_id
                ) AS r ON r.po_line_id = p.po_line_id
                SETTINGS join_use_nulls = 1""", ids);
    }
}
