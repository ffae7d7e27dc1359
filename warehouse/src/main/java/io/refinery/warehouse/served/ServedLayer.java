package io.refinery.warehouse.served;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

    private final DSLContext dsl;

    ServedLayer(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** Keys per statement: ClickHouse limits a statement's text to 256 KiB (max_query_size). */
    static final int KEYS_PER_STATEMENT = 2_000;

    /** The demand cells the given order lines currently count in (before a correction moves them). */
    public List<DemandKey> demandKeysOf(Collection<String> lineIds) {
        List<DemandKey> keys = new ArrayList<>();
        for (List<String> chunk : chunks(lineIds)) {
            keys.addAll(dsl.selectDistinct(field(name("sku"), String.class), field(name("location"), String.class),
                            field("toDate(ordered_at)", LocalDate.class))
                    .from(table(name("sales_order_lines")))
                    .where(field(name("line_id"), String.class).in(chunk))
                    .fetch(r -> new DemandKey(r.value1(), r.value2(), r.value3())));
        }
        return keys;
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(values));
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += KEYS_PER_STATEMENT) {
            chunks.add(sorted.subList(i, Math.min(sorted.size(), i + KEYS_PER_STATEMENT)));
        }
        return chunks;
    }

    /**
     * Recomputes daily demand for the touched cells. The refresh covers the touched SKUs over the
     * touched date span, a small superset of the cells that is still cheap and keeps the SQL short.
     */
    public void refreshDemand(Collection<DemandKey> touched) {
        if (touched.isEmpty()) {
            return;
        }
        Set<String> skus = touched.stream().map(DemandKey::sku).collect(Collectors.toCollection(TreeSet::new));
        LocalDate from = touched.stream().map(DemandKey::day).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = touched.stream().map(DemandKey::day).max(LocalDate::compareTo).orElseThrow();
        dsl.execute("""
                INSERT INTO demand_daily (sku, location, day, quantity, order_lines, revenue, version)
                SELECT sku, location, day, sum(q), toUInt32(sum(n)), sum(rev), toUInt64(toUnixTimestamp64Nano(now64(9)))
                FROM (
                    SELECT sku, location, toDate(ordered_at) AS day, sum(quantity) AS q, count() AS n,
                           sum(quantity * ifNull(unit_price, toDecimal64(0, 4))) AS rev
                    FROM sales_order_lines FINAL
                    WHERE sku IN ({0}) AND ordered_at >= toDateTime64({1}, 3, 'UTC')
                      AND ordered_at < toDateTime64({2}, 3, 'UTC') + INTERVAL 1 DAY
                    GROUP BY sku, location, day
                    UNION ALL
                    SELECT sku, location, day, toDecimal128(0, 4), 0, toDecimal128(0, 4)
                    FROM demand_daily FINAL
                    WHERE sku IN ({0}) AND day BETWEEN {1} AND {2}
                )
                GROUP BY sku, location, day""",
                org.jooq.impl.DSL.list(skus.stream().map(org.jooq.impl.DSL::inline).toList()),
                org.jooq.impl.DSL.inline(from.toString()), org.jooq.impl.DSL.inline(to.toString()));
    }

    /** The PO lines that existing receipts point to (a corrected receipt may move to another line). */
    public List<String> poLinesOfReceipts(Collection<String> receiptIds) {
        List<String> poLines = new ArrayList<>();
        for (List<String> chunk : chunks(receiptIds)) {
            poLines.addAll(dsl.selectDistinct(field(name("po_line_id"), String.class))
                    .from(table(name("receipts")))
                    .where(field(name("receipt_id"), String.class).in(chunk))
                    .fetch(0, String.class));
        }
        return poLines;
    }

    /** Recomputes lead time and delay for the given PO lines from their order and receipts. */
    public void refreshLeadTimes(Collection<String> poLineIds) {
        for (List<String> chunk : chunks(poLineIds)) {
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
