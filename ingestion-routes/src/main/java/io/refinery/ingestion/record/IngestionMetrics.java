package io.refinery.ingestion.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer view of the record path: {@code refinery.ingestion.records} by route and stage
 * (received, landed, cleaned, quarantined, duplicates, served; engine: cleaned by the engine lane) and
 * {@code refinery.ingestion.batch} timing. The durable counters are in the warehouse ({@code ingest_batches}); these are for scraping.
 */
final class IngestionMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    IngestionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String routeId, String stage, long n) {
        if (n > 0) {
            counters.computeIfAbsent(routeId + '\u0000' + stage, k -> Counter.builder("refinery.ingestion.records")
                    .tag("route", routeId).tag("stage", stage).description("records through the record path")
                    .register(registry)).increment(n);
        }
    }

    void batch(String routeId, Duration took) {
        Timer.builder("refinery.ingestion.batch").tag("route", routeId).register(registry).record(took);
    }
}
