package io.refinery.ops.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The demo's records for a date range, generated lazily day by day as a stream is consumed.
 * Transactions are included by their own time: sales, PO lines and readings from {@code from}
 * (inclusive) to {@code to} (exclusive); receipts of those PO lines that land before {@code to}, so
 * every receipt references a PO line of the same history and late orders are still open at the end.
 * Reference data (products, locations, suppliers) is complete regardless of the range.
 */
public final class DemoHistory {

    private final DemoSupplyChain chain;
    private final LocalDate from;
    private final LocalDate to;

    DemoHistory(DemoSupplyChain chain, LocalDate from, LocalDate to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("empty history " + from + ".." + to);
        }
        this.chain = chain;
        this.from = from;
        this.to = to;
    }

    public LocalDate from() {
        return from;
    }

    /** Exclusive end. */
    public LocalDate to() {
        return to;
    }

    /** The records of one entity; each map has exactly {@link DemoEntity#fields()} as keys, in order. */
    public Stream<Map<String, String>> records(DemoEntity entity) {
        Catalog catalog = chain.catalog();
        Instant end = to.atStartOfDay(ZoneOffset.UTC).toInstant();
        return switch (entity) {
            case PRODUCTS -> catalog.products().stream().map(RecordFormat::product);
            case LOCATIONS -> catalog.locations().stream().map(RecordFormat::location);
            case SUPPLIERS -> catalog.suppliers().stream().map(RecordFormat::supplier);
            case SALES_ORDER_LINES -> days().flatMap(day -> chain.demand().salesOn(day).stream())
                    .map(RecordFormat::sales);
            case PROMOTIONS -> IntStream.rangeClosed(from.getYear(), to.getYear()).boxed()
                    .flatMap(year -> catalog.products().stream()
                            .flatMap(product -> chain.demand().promotions(product, year).stream()))
                    .filter(promotion -> promotion.endsOn().isAfter(from.minusDays(1))
                            && promotion.startsOn().isBefore(to))
                    .map(RecordFormat::promotion);
            case PURCHASE_ORDER_LINES -> days().flatMap(day -> chain.replenishment().ordersOn(day).stream())
                    .map(RecordFormat::purchaseOrderLine);
            case RECEIPTS -> days().flatMap(day -> chain.replenishment().ordersOn(day).stream())
                    .flatMap(line -> line.receipts().stream()
                            .filter(receipt -> receipt.receivedAt().isBefore(end))
                            .map(receipt -> RecordFormat.receipt(line, receipt)));
            case IOT_READINGS -> days().flatMap(day -> chain.iot().readingsOn(day).stream())
                    .map(RecordFormat::reading);
        };
    }

    /**
     * Ground truth for evaluating anomaly detection: the PO lines of this history whose delivery was
     * deliberately made late (a few percent).
     */
    public Set<String> anomalousPoLineIds() {
        return days().flatMap(day -> chain.replenishment().ordersOn(day).stream())
                .filter(Replenishment.PoLine::anomalous)
                .map(Replenishment.PoLine::poLineId)
                .collect(Collectors.toUnmodifiableSet());
    }

    private Stream<LocalDate> days() {
        return LongStream.range(from.toEpochDay(), to.toEpochDay()).mapToObj(LocalDate::ofEpochDay);
    }
}
