package io.refinery.ops.demo;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Shape of the demo world. The catalogue period anchors the life cycles (launches and
 * discontinuations happen inside it) and is the default history; generation itself works for any
 * date, before or after.
 *
 * @param seed everything random derives from it: same seed, same world, record for record
 * @param skus number of SKUs (spread round-robin over 10 categories)
 * @param locations number of locations, 5 to 10
 */
public record DemoConfig(long seed, int skus, int locations, LocalDate catalogStart, LocalDate catalogEnd) {

    public static final int MAX_LOCATIONS = 10;

    public DemoConfig {
        Objects.requireNonNull(catalogStart, "catalogStart");
        Objects.requireNonNull(catalogEnd, "catalogEnd");
        if (skus < 10) {
            throw new IllegalArgumentException("skus must be at least 10, found " + skus);
        }
        if (locations < 1 || locations > MAX_LOCATIONS) {
            throw new IllegalArgumentException("locations must be 1.." + MAX_LOCATIONS + ", found " + locations);
        }
        if (!catalogEnd.isAfter(catalogStart.plusDays(365))) {
            throw new IllegalArgumentException("the catalogue period must exceed a year: " + catalogStart + ".."
                    + catalogEnd);
        }
    }

    /** 240 SKUs at 8 locations over the two years 2024-01-01 (inclusive) to 2026-01-01 (exclusive). */
    public static DemoConfig defaults(long seed) {
        return new DemoConfig(seed, 240, 8, LocalDate.of(2024, 1, 1), LocalDate.of(2026, 1, 1));
    }
}
