package io.refinery.ops.demo;

import io.refinery.ops.demo.Catalog.Location;
import io.refinery.ops.demo.Catalog.Product;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Daily demand per SKU and location: level x trend x weekday x yearly season x life cycle x
 * promotion uplift, with gamma-Poisson noise for regular SKUs and rare, lumpy orders for
 * intermittent ones. Each series-day becomes at most one order line per sales channel.
 */
final class DemandModel {

    record Promotion(String promotionId, Product product, LocalDate startsOn, LocalDate endsOn, int discountPct) {

        boolean covers(LocalDate day) {
            return !day.isBefore(startsOn) && !day.isAfter(endsOn);
        }
    }

    record SalesLine(String lineId, Product product, Location location, long quantity, long unitPriceCents,
            Instant orderedAt, String channel) {
    }

    private static final double DAYS_PER_YEAR = 365.25;
    /** Gamma shape of the day-to-day rate swings of regular SKUs (coefficient of variation ~0.4). */
    private static final double DISPERSION = 6;
    private static final int RAMP_UP_DAYS = 21;
    private static final int CLEARANCE_DAYS = 45;

    private final long seed;
    private final Catalog catalog;
    private final LocalDate catalogStart;
    private final Map<Long, List<Promotion>> promotionsBySkuAndYear = new ConcurrentHashMap<>();

    DemandModel(DemoConfig config, Catalog catalog) {
        this.seed = config.seed();
        this.catalog = catalog;
        this.catalogStart = config.catalogStart();
    }

    /**
     * Mean units per day without noise or promotions: what a planner would expect, and what the
     * replenishment policy orders against.
     */
    double expectedUnits(Product product, Location location, LocalDate day) {
        double rate = rate(product, location, day);
        // Intermittent orders are 1 + Geometric(0.5) units, i.e. 2 on average.
        return product.intermittent() ? Math.min(0.9, rate) * 2 : rate;
    }

    /** Units per day (intermittent SKUs: chance of an order that day) before promotions. */
    private double rate(Product product, Location location, LocalDate day) {
        double lifecycle = lifecycle(product, day);
        if (lifecycle == 0) {
            return 0;
        }
        double years = (day.toEpochDay() - catalogStart.toEpochDay()) / DAYS_PER_YEAR;
        double trend = Math.pow(1 + product.annualGrowth(), years);
        double weekday = product.category().weekday()[day.getDayOfWeek().getValue() - 1];
        double angle = 2 * Math.PI * (day.getDayOfYear() - product.category().yearlyPeakDayOfYear()) / DAYS_PER_YEAR;
        double yearly = Math.exp(product.category().yearlyAmplitude() * Math.cos(angle));
        return product.baseRate() * location.size() * trend * weekday * yearly * lifecycle;
    }

    /** 0 before launch and after discontinuation, a ramp-up after launch, a clearance tail before the end. */
    private static double lifecycle(Product product, LocalDate day) {
        if (product.launch() != null) {
            long age = day.toEpochDay() - product.launch().toEpochDay();
            return age < 0 ? 0 : 1 - Math.exp(-(age + 1.0) / RAMP_UP_DAYS);
        }
        if (product.discontinued() != null) {
            long left = product.discontinued().toEpochDay() - day.toEpochDay();
            if (left <= 0) {
                return 0;
            }
            return left >= CLEARANCE_DAYS ? 1 : 0.4 + 0.6 * left / CLEARANCE_DAYS;
        }
        return 1;
    }

    /** All sales lines of one day, series by series. */
    List<SalesLine> salesOn(LocalDate day) {
        List<SalesLine> lines = new ArrayList<>();
        String dayKey = compact(day);
        for (Product product : catalog.products()) {
            Promotion promotion = activePromotion(product, day);
            for (Location location : catalog.locations()) {
                if (catalog.carries(product, location)) {
                    addSales(product, location, day, dayKey, promotion, lines);
                }
            }
        }
        return lines;
    }

    private void addSales(Product product, Location location, LocalDate day, String dayKey, Promotion promotion,
            List<SalesLine> lines) {
        double rate = rate(product, location, day);
        if (rate == 0) {
            return;
        }
        double discount = promotion == null ? 0 : promotion.discountPct() / 100.0;
        // Constant-elasticity response: a 20% cut with elasticity 3 sells ~1.95x.
        double uplift = Math.pow(1 - discount, -product.promoElasticity());
        SplittableRandom random = Rng.of(seed, 20, product.index(), location.index(), day.toEpochDay());
        long units;
        if (product.intermittent()) {
            units = random.nextDouble() < Math.min(0.9, rate * uplift) ? 1 + Rng.geometric(random, 0.5) : 0;
        } else {
            units = Rng.negativeBinomial(random, rate * uplift, DISPERSION);
        }
        if (units == 0) {
            return;
        }
        long[] perChannel = splitByChannel(units, product.category().channelShares(), random);
        for (int channel = 0; channel < perChannel.length; channel++) {
            if (perChannel[channel] > 0) {
                String channelName = Catalog.CHANNELS[channel];
                double channelPrice = channelName.equals("b2b") ? 0.92 : 1.0;
                long cents = Math.round(product.listPrice() * 100 * (1 - discount) * channelPrice);
                String lineId = "SO-" + dayKey + "-" + product.sku() + "-" + location.id() + "-"
                        + Character.toUpperCase(channelName.charAt(0));
                lines.add(new SalesLine(lineId, product, location, perChannel[channel], cents, orderTime(day, channelName, random),
                        channelName));
            }
        }
    }

    private static long[] splitByChannel(long units, double[] shares, SplittableRandom random) {
        long[] perChannel = new long[shares.length];
        for (long unit = 0; unit < units; unit++) {
            double u = random.nextDouble();
            int channel = 0;
            while (channel < shares.length - 1 && u >= shares[channel]) {
                u -= shares[channel];
                channel++;
            }
            perChannel[channel]++;
        }
        return perChannel;
    }

    /** Stores trade 08-20h, online peaks in the evening, business buyers order in office hours. */
    private static Instant orderTime(LocalDate day, String channel, SplittableRandom random) {
        double hour = switch (channel) {
            case "store" -> Rng.uniform(random, 8, 20);
            case "online" -> (8 + 16 * Math.sqrt(random.nextDouble())) % 24;
            default -> Rng.uniform(random, 7, 17);
        };
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds((long) (hour * 3600));
    }

    Promotion activePromotion(Product product, LocalDate day) {
        for (Promotion promotion : promotions(product, day.getYear())) {
            if (promotion.covers(day)) {
                return promotion;
            }
        }
        return null;
    }

    /**
     * A SKU's chain-wide promotions of one calendar year: 3 to 6 windows of 7 to 14 days, one per
     * equal slot of the year so they never overlap. Intermittent SKUs are not promoted.
     */
    List<Promotion> promotions(Product product, int year) {
        return promotionsBySkuAndYear.computeIfAbsent(product.index() * 10_000L + year, key -> {
            if (product.intermittent()) {
                return List.of();
            }
            SplittableRandom random = Rng.of(seed, 21, product.index(), year);
            int count = 3 + random.nextInt(4);
            int slot = 360 / count;
            List<Promotion> promotions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = 7 + random.nextInt(8);
                LocalDate start = LocalDate.ofYearDay(year, 1 + i * slot + random.nextInt(slot - length));
                // Promotions start on Thursdays, as retail flyers do.
                start = start.with(java.time.temporal.TemporalAdjusters.nextOrSame(DayOfWeek.THURSDAY));
                int discount = 10 + 5 * random.nextInt(5);
                promotions.add(new Promotion("PR-%s-%d-%d".formatted(product.sku(), year, i + 1), product, start,
                        start.plusDays(length - 1), discount));
            }
            return List.copyOf(promotions);
        });
    }

    static String compact(LocalDate day) {
        return "%04d%02d%02d".formatted(day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }
}
