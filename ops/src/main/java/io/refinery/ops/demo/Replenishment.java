package io.refinery.ops.demo;

import io.refinery.ops.demo.Catalog.Location;
import io.refinery.ops.demo.Catalog.Product;
import io.refinery.ops.demo.Catalog.Supplier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Periodic-review replenishment: every series orders on a fixed weekday every 1, 2 or 4 weeks,
 * enough for the expected demand of one cycle. Deliveries follow a lognormal lead time per
 * supplier, shifted per lane, slowed by seasons (Lunar New Year, August holidays, peak-season
 * congestion) and slightly by quantity; some arrive in two parts, and a few percent are injected
 * late-delivery anomalies, labelled on the PO line.
 */
final class Replenishment {

    record ReceiptEvent(String receiptId, long quantity, Instant receivedAt) {
    }

    record PoLine(String poLineId, Supplier supplier, Product product, Location location, long quantity,
            Instant orderedAt, LocalDate promisedDate, boolean anomalous, List<ReceiptEvent> receipts) {
    }

    /** No delivery takes longer than this, so a day's receipts come from POs of this many days before. */
    static final int MAX_LEAD_DAYS = 180;

    static final double ANOMALY_RATE = 0.03;
    /** An anomalous delivery takes at least this multiple of the lane's seasonal median lead time. */
    static final double ANOMALY_MIN_FACTOR = 1.7;
    private static final double PARTIAL_RATE = 0.12;
    private static final double SECONDARY_SUPPLIER_SHARE = 0.3;

    private final long seed;
    private final Catalog catalog;
    private final DemandModel demand;
    /** Review period in days per [sku][location], 0 when the location does not carry the SKU. */
    private final int[][] reviewDays;
    /** A PO happens on epoch days d with floorMod(d - offset, reviewDays) == 0. */
    private final int[][] offset;
    private final double[][] laneFactor;
    private final double[][] laneExtraDays;

    Replenishment(DemoConfig config, Catalog catalog, DemandModel demand) {
        this.seed = config.seed();
        this.catalog = catalog;
        this.demand = demand;
        int skus = catalog.products().size();
        int locations = catalog.locations().size();
        reviewDays = new int[skus][locations];
        offset = new int[skus][locations];
        for (Product product : catalog.products()) {
            double typical = product.intermittent() ? product.baseRate() * 2 : product.baseRate();
            int weeks = typical >= 3 ? 1 : typical >= 0.7 ? 2 : 4;
            for (Location location : catalog.locations()) {
                if (catalog.carries(product, location)) {
                    SplittableRandom random = Rng.of(seed, 30, product.index(), location.index());
                    // Epoch day 0 was a Thursday: day d is a Monday when floorMod(d + 3, 7) == 0.
                    int weekday = random.nextInt(5);
                    int week = random.nextInt(weeks);
                    reviewDays[product.index()][location.index()] = 7 * weeks;
                    offset[product.index()][location.index()] = 7 * week + weekday - 3;
                }
            }
        }
        laneFactor = new double[catalog.suppliers().size()][locations];
        laneExtraDays = new double[catalog.suppliers().size()][locations];
        for (Supplier supplier : catalog.suppliers()) {
            for (Location location : catalog.locations()) {
                SplittableRandom random = Rng.of(seed, 31, supplier.index(), location.index());
                laneFactor[supplier.index()][location.index()] = Math.exp(0.12 * random.nextGaussian());
                laneExtraDays[supplier.index()][location.index()] = Rng.uniform(random, 0, 2.5);
            }
        }
    }

    int reviewDays(Product product, Location location) {
        return reviewDays[product.index()][location.index()];
    }

    /** The epoch day of a PO of this series in the same review cycle as {@code epochDay} (or before). */
    long cycleStart(Product product, Location location, long epochDay) {
        int period = reviewDays(product, location);
        return epochDay - Math.floorMod(epochDay - offset[product.index()][location.index()], period);
    }

    /** Median lead time (days) of the series' primary supplier on its lane. */
    double typicalLeadDays(Product product, Location location) {
        Supplier supplier = catalog.suppliers().get(product.primarySupplier());
        return supplier.medianLeadDays() * laneFactor[supplier.index()][location.index()]
                + laneExtraDays[supplier.index()][location.index()];
    }

    /** All PO lines placed on one day, with their (future) receipts. */
    List<PoLine> ordersOn(LocalDate day) {
        long epochDay = day.toEpochDay();
        List<PoLine> lines = new ArrayList<>();
        String dayKey = null;
        for (Product product : catalog.products()) {
            for (Location location : catalog.locations()) {
                int period = reviewDays(product, location);
                if (period == 0 || Math.floorMod(epochDay - offset[product.index()][location.index()], period) != 0) {
                    continue;
                }
                // Order for the cycle the goods will serve, i.e. what sells after they arrive.
                LocalDate arrival = day.plusDays(Math.round(typicalLeadDays(product, location)));
                double expected = 0;
                for (int d = 0; d < period; d++) {
                    expected += demand.expectedUnits(product, location, arrival.plusDays(d));
                }
                if (expected < 0.05) {
                    continue;
                }
                if (dayKey == null) {
                    dayKey = DemandModel.compact(day);
                }
                lines.add(poLine(product, location, day, dayKey, expected));
            }
        }
        return lines;
    }

    private PoLine poLine(Product product, Location location, LocalDate day, String dayKey, double expected) {
        SplittableRandom random = Rng.of(seed, 32, product.index(), location.index(), day.toEpochDay());
        int pack = expected / reviewDays(product, location) > 10 ? 12 : expected > 14 ? 6 : 1;
        long quantity = Math.max(pack,
                (long) Math.ceil(expected * Math.exp(0.1 * random.nextGaussian()) / pack) * pack);
        boolean useSecondary = product.hasSecondarySupplier() && random.nextDouble() < SECONDARY_SUPPLIER_SHARE;
        Supplier supplier = catalog.suppliers().get(useSecondary ? product.secondarySupplier() : product.primarySupplier());
        double lane = laneFactor[supplier.index()][location.index()];
        double laneExtra = laneExtraDays[supplier.index()][location.index()];

        Instant orderedAt = day.atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds((long) (Rng.uniform(random, 9, 17) * 3600));
        // Suppliers quote their median plus a buffer, the same for every order on the lane.
        long quotedDays = (long) Math.ceil(supplier.medianLeadDays() * lane * 1.2 + laneExtra) + 1;
        LocalDate promised = day.plusDays(quotedDays);

        double seasonal = seasonalSlowdown(supplier, day);
        double leadDays = supplier.medianLeadDays() * lane * Math.exp(supplier.sigma() * random.nextGaussian())
                * seasonal * (1 + 0.03 * Math.log1p(quantity / 50.0)) + laneExtra;
        double typicalNow = supplier.medianLeadDays() * lane * seasonal + laneExtra;
        if (supplier.lunarNewYear() && inWindow(day, 1, 10, 2, 20)) {
            leadDays += Rng.uniform(random, 8, 16);
            typicalNow += 12;
        }
        boolean anomalous = random.nextDouble() < ANOMALY_RATE;
        if (anomalous) {
            // Late well beyond what the lane normally does in this season, and clearly past the promise:
            // at least 1.7 times the seasonal median, where an ordinary delivery rarely reaches 1.5.
            leadDays = Math.max(leadDays, typicalNow) * Rng.uniform(random, ANOMALY_MIN_FACTOR, 2.5)
                    + Rng.uniform(random, 3, 8);
            leadDays = Math.max(leadDays, quotedDays + 5 + Rng.uniform(random, 0, 5));
        }
        leadDays = Math.min(leadDays, MAX_LEAD_DAYS - 10);

        String id = "PO-" + dayKey + "-" + product.sku() + "-" + location.id();
        String receiptBase = "RC-" + dayKey + "-" + product.sku() + "-" + location.id() + "-";
        LocalDate firstDay = LocalDate.ofInstant(orderedAt, ZoneOffset.UTC).plusDays(Math.round(leadDays));
        List<ReceiptEvent> receipts;
        if (quantity > 1 && random.nextDouble() < PARTIAL_RATE) {
            long first = Math.max(1, Math.min(quantity - 1, Math.round(quantity * Rng.uniform(random, 0.5, 0.9))));
            LocalDate secondDay = firstDay.plusDays(1 + random.nextInt(6));
            receipts = List.of(
                    new ReceiptEvent(receiptBase + "1", first, receivingTime(firstDay, random)),
                    new ReceiptEvent(receiptBase + "2", quantity - first, receivingTime(secondDay, random)));
        } else {
            receipts = List.of(new ReceiptEvent(receiptBase + "1", quantity, receivingTime(firstDay, random)));
        }
        return new PoLine(id, supplier, product, location, quantity, orderedAt, promised, anomalous, receipts);
    }

    /** Congested ocean freight in the pre-Christmas peak; Southern European suppliers slow down in August. */
    private static double seasonalSlowdown(Supplier supplier, LocalDate day) {
        if (supplier.augustHolidays() && inWindow(day, 7, 20, 8, 25)) {
            return 1.35;
        }
        if (supplier.medianLeadDays() > 30 && (day.getMonthValue() == 10 || day.getMonthValue() == 11)) {
            return 1.1;
        }
        return 1.0;
    }

    private static boolean inWindow(LocalDate day, int fromMonth, int fromDay, int toMonth, int toDay) {
        LocalDate from = LocalDate.of(day.getYear(), fromMonth, fromDay);
        LocalDate to = LocalDate.of(day.getYear(), toMonth, toDay);
        return !day.isBefore(from) && !day.isAfter(to);
    }

    /** Warehouses receive on weekdays between 06:00 and 18:00; weekend arrivals wait for Monday. */
    private static Instant receivingTime(LocalDate day, SplittableRandom random) {
        LocalDate workday = switch (day.getDayOfWeek()) {
            case SATURDAY -> day.plusDays(2);
            case SUNDAY -> day.plusDays(1);
            default -> day;
        };
        return workday.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds((long) (Rng.uniform(random, 6, 18) * 3600));
    }
}
