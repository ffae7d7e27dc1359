package io.refinery.warehouse;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * Where the warehouse is. With no {@code url} the embedded engine runs in-process on
 * {@code dataDir}; with a {@code url} (a ClickHouse server or cluster) the embedded engine stays off
 * and nothing else changes.
 *
 * @param url        ClickHouse HTTP URL ({@code http://host:8123}) or JDBC URL; blank = embedded
 * @param user       server-mode user
 * @param password   server-mode password (never logged, never returned by any endpoint)
 * @param database   the database holding Refinery's tables
 * @param dataDir    embedded engine directory (one writer process per directory)
 * @param embedded   embedded engine tuning
 * @param maxPoolSize JDBC connections
 * @param cluster    server mode only: the ClickHouse cluster ({@code remote_servers} name) to migrate
 *                   {@code ON CLUSTER} with replicated local tables behind Distributed ones; blank = one server
 * @param maxQueryMemory guardrail: ClickHouse {@code max_memory_usage} of every query (JDBC and client-v2); 0 = none
 * @param maxQueryTime   guardrail: ClickHouse {@code max_execution_time} of every query; 0 = none
 * @param rawRetention   how long raw records are kept (a TTL on {@code raw_records}); null = forever
 */
@Validated
@ConfigurationProperties("refinery.warehouse")
public record WarehouseProperties(
        String url,
        @DefaultValue("default") String user,
        @DefaultValue("") String password,
        @NotBlank @DefaultValue("refinery") String database,
        @DefaultValue("./data/warehouse") Path dataDir,
        @DefaultValue Embedded embedded,
        @Min(1) @DefaultValue("8") int maxPoolSize,
        @DefaultValue("") String cluster,
        @DefaultValue("8GB") DataSize maxQueryMemory,
        @DefaultValue("10m") Duration maxQueryTime,
        Duration rawRetention) {

    /**
     * The ClickHouse settings every query carries: the guardrails. ClickHouse counts
     * {@code max_execution_time} in whole seconds, so a positive limit is at least 1 s.
     */
    public java.util.Map<String, String> querySettings() {
        var settings = new java.util.LinkedHashMap<String, String>();
        if (maxQueryMemory != null && maxQueryMemory.toBytes() > 0) {
            settings.put("max_memory_usage", String.valueOf(maxQueryMemory.toBytes()));
        }
        if (maxQueryTime != null && maxQueryTime.isPositive()) {
            settings.put("max_execution_time", String.valueOf(Math.max(1, maxQueryTime.toSeconds())));
        }
        return settings;
    }

    public boolean embeddedMode() {
        return url == null || url.isBlank();
    }

    /**
     * @param port     loopback port of the ClickHouse HTTP endpoint; 0 picks a free one
     * @param poolSize chDB connections (statements that can run at once)
     * @param library  path of libchdb.so; blank fetches it once into the user cache
     */
    public record Embedded(@DefaultValue("0") int port, @Min(1) @DefaultValue("4") int poolSize, Path library) {
    }
}
