package io.refinery.ops.demo;

import io.refinery.ops.demo.Catalog.Location;
import io.refinery.ops.demo.Catalog.Product;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Devices in the warehouses: two temperature probes per location (ambient hall, chilled room)
 * reporting hourly, and smart-shelf stock sensors on the busiest SKUs reporting every six hours.
 * Stock follows the replenishment saw-tooth: refilled when a cycle's delivery lands, drawn down
 * by expected demand until the next one.
 */
final class IotSensors {

    record Reading(String deviceId, Location location, String sku, String metric, double value,
            Instant observedAt) {
    }

    static final String TEMPERATURE = "temperature_c";
    static final String STOCK = "stock_units";
    private static final int SHELVES_PER_LOCATION = 10;
    private static final int STOCK_INTERVAL_HOURS = 6;
    /** Chance per hour that the chilled room's door is left open or the compressor trips. */
    private static final double CHILLED_EXCURSION_RATE = 0.003;

    private final long seed;
    private final Catalog catalog;
    private final DemandModel demand;
    private final Replenishment replenishment;
    private final List<List<Product>> shelvedByLocation = new ArrayList<>();

    IotSensors(DemoConfig config, Catalog catalog, DemandModel demand, Replenishment replenishment) {
        this.seed = config.seed();
        this.catalog = catalog;
        this.demand = demand;
        this.replenishment = replenishment;
        for (Location location : catalog.locations()) {
            shelvedByLocation.add(catalog.products().stream()
                    .filter(product -> catalog.carries(product, location) && !product.intermittent()
                            && product.launch() == null && product.discontinued() == null)
                    .sorted(Comparator.comparingDouble(Product::baseRate).reversed())
                    .limit(SHELVES_PER_LOCATION)
                    .toList());
        }
    }

    List<Reading> readingsOn(LocalDate day) {
        List<Reading> readings = new ArrayList<>();
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int hour = 0; hour < 24; hour++) {
            for (Location location : catalog.locations()) {
                SplittableRandom random = Rng.of(seed, 40, location.index(), day.toEpochDay(), hour);
                // Probes report a few seconds after the hour, each on its own offset.
                Instant at = midnight.plusSeconds(hour * 3600L + 5 + location.index() * 7L);
                readings.add(new Reading("TMP-" + location.id() + "-AMB", location, "", TEMPERATURE,
                        ambient(day, hour, random), at));
                readings.add(new Reading("TMP-" + location.id() + "-CHL", location, "", TEMPERATURE,
                        chilled(hour, random), at.plusSeconds(2)));
                if (hour % STOCK_INTERVAL_HOURS == 0) {
                    for (Product product : shelvedByLocation.get(location.index())) {
                        readings.add(new Reading("SHF-" + location.id() + "-" + product.sku(), location,
                                product.sku(), STOCK, stock(product, location, day, hour, random),
                                at.plusSeconds(30)));
                    }
                }
            }
        }
        return readings;
    }

    /** Hall temperature: 17 C, warmer in summer and in the afternoon. */
    private static double ambient(LocalDate day, int hour, SplittableRandom random) {
        double seasonal = 5 * Math.cos(2 * Math.PI * (day.getDayOfYear() - 200) / 365.25);
        double daily = 2 * Math.cos(2 * Math.PI * (hour - 15) / 24.0);
        return round2(17 + seasonal + daily + 0.3 * random.nextGaussian());
    }

    /** Chilled room held at 4 C, slightly warmer during the working day, with rare excursions. */
    private static double chilled(int hour, SplittableRandom random) {
        double working = hour >= 6 && hour < 20 ? 0.6 : 0;
        double excursion = random.nextDouble() < CHILLED_EXCURSION_RATE ? Rng.uniform(random, 4, 8) : 0;
        return round2(3.6 + working + excursion + 0.2 * random.nextGaussian());
    }

    private double stock(Product product, Location location, LocalDate day, int hour, SplittableRandom random) {
        int period = replenishment.reviewDays(product, location);
        double now = day.toEpochDay() + hour / 24.0;
        double lead = replenishment.typicalLeadDays(product, location);
        long lastOrder = replenishment.cycleStart(product, location, (long) Math.floor(now - lead));
        double sinceDelivery = now - (lastOrder + lead);
        double daily = demand.expectedUnits(product, location, day);
        // Half a cycle of safety stock plus what is left of the delivered cycle quantity.
        double units = daily * (0.5 * period + Math.max(0, period - sinceDelivery));
        return Math.max(0, Math.round(units * (1 + 0.05 * random.nextGaussian())));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
