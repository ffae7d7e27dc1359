package io.refinery.ops.demo;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A synthetic but realistic supply chain, fully determined by its {@link DemoConfig} (above all
 * the seed): products, locations and suppliers; daily sales with trend, weekly and yearly
 * seasonality, promotions, intermittent, new and discontinued items; purchase orders and
 * receipts with supplier- and lane-specific lead times and labelled late-delivery anomalies; IoT
 * stock and temperature readings. Any day can be generated on its own, so
 * {@link #history(LocalDate, LocalDate) history} and {@link #live(Instant) live} agree. Immutable and
 * safe to share; a {@link DemoLiveFeed} is not.
 */
public final class DemoSupplyChain {

    private final DemoConfig config;
    private final Catalog catalog;
    private final DemandModel demand;
    private final Replenishment replenishment;
    private final IotSensors iot;

    public DemoSupplyChain(DemoConfig config) {
        this.config = config;
        this.catalog = new Catalog(config);
        this.demand = new DemandModel(config, catalog);
        this.replenishment = new Replenishment(config, catalog, demand);
        this.iot = new IotSensors(config, catalog, demand, replenishment);
    }

    /** The default world ({@link DemoConfig#defaults(long)}) for a seed. */
    public static DemoSupplyChain withSeed(long seed) {
        return new DemoSupplyChain(DemoConfig.defaults(seed));
    }

    public DemoConfig config() {
        return config;
    }

    /** Records from {@code from} (inclusive) to {@code to} (exclusive). */
    public DemoHistory history(LocalDate from, LocalDate to) {
        return new DemoHistory(this, from, to);
    }

    /** The records of the whole catalogue period. */
    public DemoHistory history() {
        return history(config.catalogStart(), config.catalogEnd());
    }

    /** A feed that plays the world forward from {@code start}, typically the end of the loaded history. */
    public DemoLiveFeed live(Instant start) {
        return new DemoLiveFeed(this, start);
    }

    Catalog catalog() {
        return catalog;
    }

    DemandModel demand() {
        return demand;
    }

    Replenishment replenishment() {
        return replenishment;
    }

    IotSensors iot() {
        return iot;
    }
}
