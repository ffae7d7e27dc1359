package io.refinery.ops.demo;

import io.refinery.ops.demo.Replenishment.PoLine;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays the demo world forward from a start instant, one slice at a time, so a running service can
 * show data flowing. The records are the same ones {@link DemoHistory} would produce for that time
 * (promotions are announced on their first day; receipts land for POs placed up to
 * {@value Replenishment#MAX_LEAD_DAYS} days earlier). Not thread-safe: one consumer advances it.
 */
public final class DemoLiveFeed {

    /** Days of PO lines kept: enough to find every receipt landing on the current day. */
    private static final int CACHED_ORDER_DAYS = Replenishment.MAX_LEAD_DAYS + 2;

    private final DemoSupplyChain chain;
    private final Map<LocalDate, List<PoLine>> ordersByDay = lruCache(CACHED_ORDER_DAYS);
    private final Map<LocalDate, DayEvents> eventsByDay = lruCache(2);
    private Instant cursor;

    /** Everything that happens on one day, each list ordered by nothing in particular. */
    private record DayEvents(List<TimedRecord> sales, List<TimedRecord> purchaseOrderLines,
            List<TimedRecord> receipts, List<TimedRecord> readings, List<Map<String, String>> promotions) {
    }

    private record TimedRecord(Instant at, Map<String, String> record, String anomalousPoLineId) {
    }

    DemoLiveFeed(DemoSupplyChain chain, Instant start) {
        this.chain = chain;
        this.cursor = start;
    }

    /** Where the next slice starts. */
    public Instant cursor() {
        return cursor;
    }

    /** The events of {@code [cursor, cursor + step)}; moves the cursor to the end of the step. */
    public LiveSlice next(Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        Instant from = cursor;
        Instant to = cursor.plus(step);
        Map<DemoEntity, List<Map<String, String>>> records = new EnumMap<>(DemoEntity.class);
        for (DemoEntity entity : List.of(DemoEntity.SALES_ORDER_LINES, DemoEntity.PROMOTIONS,
                DemoEntity.PURCHASE_ORDER_LINES, DemoEntity.RECEIPTS, DemoEntity.IOT_READINGS)) {
            records.put(entity, new ArrayList<>());
        }
        Set<String> anomalous = new HashSet<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            DayEvents events = eventsByDay.computeIfAbsent(day, this::eventsOn);
            collect(events.sales(), from, to, records.get(DemoEntity.SALES_ORDER_LINES), anomalous);
            collect(events.purchaseOrderLines(), from, to, records.get(DemoEntity.PURCHASE_ORDER_LINES), anomalous);
            collect(events.receipts(), from, to, records.get(DemoEntity.RECEIPTS), anomalous);
            collect(events.readings(), from, to, records.get(DemoEntity.IOT_READINGS), anomalous);
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!dayStart.isBefore(from) && dayStart.isBefore(to)) {
                records.get(DemoEntity.PROMOTIONS).addAll(events.promotions());
            }
        }
        cursor = to;
        return new LiveSlice(from, to, records, anomalous);
    }

    private static void collect(List<TimedRecord> events, Instant from, Instant to,
            List<Map<String, String>> into, Set<String> anomalous) {
        for (TimedRecord event : events) {
            if (!event.at().isBefore(from) && event.at().isBefore(to)) {
                into.add(event.record());
                if (event.anomalousPoLineId() != null) {
                    anomalous.add(event.anomalousPoLineId());
                }
            }
        }
    }

    private DayEvents eventsOn(LocalDate day) {
        List<TimedRecord> sales = chain.demand().salesOn(day).stream()
                .map(line -> new TimedRecord(line.orderedAt(), RecordFormat.sales(line), null))
                .toList();
        List<TimedRecord> orders = orders(day).stream()
                .map(line -> new TimedRecord(line.orderedAt(), RecordFormat.purchaseOrderLine(line), anomalyOf(line)))
                .toList();
        List<TimedRecord> receipts = new ArrayList<>();
        for (LocalDate ordered = day.minusDays(Replenishment.MAX_LEAD_DAYS); !ordered.isAfter(day);
                ordered = ordered.plusDays(1)) {
            for (PoLine line : orders(ordered)) {
                for (var receipt : line.receipts()) {
                    if (LocalDate.ofInstant(receipt.receivedAt(), ZoneOffset.UTC).equals(day)) {
                        receipts.add(new TimedRecord(receipt.receivedAt(), RecordFormat.receipt(line, receipt),
                                anomalyOf(line)));
                    }
                }
            }
        }
        List<TimedRecord> readings = chain.iot().readingsOn(day).stream()
                .map(reading -> new TimedRecord(reading.observedAt(), RecordFormat.reading(reading), null))
                .toList();
        List<Map<String, String>> promotions = chain.catalog().products().stream()
                .flatMap(product -> chain.demand().promotions(product, day.getYear()).stream())
                .filter(promotion -> promotion.startsOn().equals(day))
                .map(RecordFormat::promotion)
                .toList();
        return new DayEvents(sales, orders, receipts, readings, promotions);
    }

    private List<PoLine> orders(LocalDate day) {
        return ordersByDay.computeIfAbsent(day, chain.replenishment()::ordersOn);
    }

    private static String anomalyOf(PoLine line) {
        return line.anomalous() ? line.poLineId() : null;
    }

    private static <K, V> Map<K, V> lruCache(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
