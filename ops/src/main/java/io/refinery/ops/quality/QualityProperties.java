package io.refinery.ops.quality;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code refinery.quality.*}: where the check specs are and how often all checks run until the
 * orchestration graph schedules them.
 *
 * @param interval     time between scheduled runs of every check; 0 turns the schedule off
 * @param initialDelay time from start to the first scheduled run (lets the first ingestion settle)
 * @param specs        a Spring resource pattern for the YAML specs
 * @param gateForecasts whether failing blocking checks halt forecast runs (default true)
 */
@ConfigurationProperties("refinery.quality")
public record QualityProperties(Duration interval, Duration initialDelay, String specs, Boolean gateForecasts) {

    public QualityProperties {
        interval = interval == null ? Duration.ofMinutes(5) : interval;
        initialDelay = initialDelay == null ? Duration.ofMinutes(1) : initialDelay;
        specs = specs == null || specs.isBlank() ? "classpath*:quality/*.yaml" : specs;
        gateForecasts = gateForecasts == null || gateForecasts;
    }
}
