package io.refinery.ingestion;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Ingestion settings ({@code refinery.ingestion.*}).
 *
 * @param batchSize       records per raw batch; keep it stable, re-deliveries are matched per chunk
 * @param laneBlockRows   rows per block of a CSV file in the engine lane at least (a route's batch size when
 *                        larger; a block is at most 64 MiB): a block is one raw row and one engine insert, and
 *                        small ones cost the engine round trips and merges of small parts
 * @param laneRefreshRecords records of a file after which the engine lane refreshes served (and at the file's
 *                        end): it writes records about five times as fast as the record path (which refreshes
 *                        per 2 M), and a refresh (a scan of the touched span, FINAL) costs about as much as
 *                        typing a million rows, so it refreshes after about as much time, not as many records
 * @param defaultZone     zone of source date-times without one, unless a route says otherwise
 * @param allowedRoots    directories under which file-drop inboxes may live (no route reads elsewhere)
 * @param secretsFile     a properties file of secrets (name=value), read besides the environment
 * @param autoStartRoutes start the stored routes with the application
 * @param mqtt            micro-batching of MQTT messages
 * @param routes          routes defined in configuration (created in the store on first start)
 */
@Validated
@ConfigurationProperties("refinery.ingestion")
public record IngestionProperties(
        @Min(1) @DefaultValue("10000") int batchSize,
        @Min(1) @DefaultValue("1000000") int laneBlockRows,
        @Min(1) @DefaultValue("10000000") long laneRefreshRecords,
        @NotBlank @DefaultValue("UTC") String defaultZone,
        @DefaultValue("./data/inbox") List<Path> allowedRoots,
        Path secretsFile,
        @DefaultValue("true") boolean autoStartRoutes,
        @Valid @DefaultValue Mqtt mqtt,
        @DefaultValue Map<String, ConfiguredRoute> routes) {

    public ZoneId zone() {
        return ZoneId.of(defaultZone);
    }

    /**
     * @param maxBatch   messages per micro-batch at most
     * @param maxDelay   longest a message waits for its batch to fill
     * @param maxPending messages received but not yet landed; beyond it the consumer blocks (back-pressure)
     */
    public record Mqtt(@Min(1) @DefaultValue("5000") int maxBatch, @NotNull @DefaultValue("200ms") Duration maxDelay,
                       @Min(1) @DefaultValue("20000") int maxPending) {
    }

    /** A route given in configuration: kind, entity and the kind's options. */
    public record ConfiguredRoute(@NotBlank String kind, @NotBlank String entity,
                                  @DefaultValue("ACCEPT_AND_FLAG") DriftPolicy driftPolicy,
                                  @DefaultValue Map<String, String> options) {
    }
}
