package io.refinery.warehouse;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

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
        @DefaultValue("") String cluster) {

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
