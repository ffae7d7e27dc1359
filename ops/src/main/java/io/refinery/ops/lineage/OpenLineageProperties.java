package io.refinery.ops.lineage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * OpenLineage emission, off by default.
 *
 * @param enabled       emit run events for ingestion batches and forecast runs
 * @param url           HTTP transport: the lineage endpoint, e.g. Marquez {@code http://marquez:5000/api/v1/lineage}
 * @param apiKey        sent as {@code Authorization: Bearer} when set (a secret: from the environment)
 * @param file          file transport: one JSON event per line, appended
 * @param namespace     the job namespace (one per deployment)
 * @param timeout       per HTTP request
 * @param queueCapacity events waiting to be sent; beyond, new events are dropped with a warning so a slow
 *                      lineage server never slows ingestion
 */
@ConfigurationProperties("refinery.openlineage")
public record OpenLineageProperties(@DefaultValue("false") boolean enabled, String url, String apiKey, Path file,
                                    @DefaultValue("refinery") String namespace,
                                    @DefaultValue("5s") Duration timeout,
                                    @DefaultValue("10000") int queueCapacity) {
}
