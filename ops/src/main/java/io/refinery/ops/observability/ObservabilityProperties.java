package io.refinery.ops.observability;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param refresh    how often the warehouse-derived gauges (freshness, storage, windows, anomalies) are re-read
 * @param alertRules the Prometheus rule file the in-app alerts evaluate (the same file Prometheus loads)
 */
@ConfigurationProperties("refinery.observability")
public record ObservabilityProperties(@DefaultValue("15s") Duration refresh,
                                      @DefaultValue("classpath:prometheus/refinery-alerts.yml") String alertRules) {
}
