package io.refinery.warehouse;

import org.junit.jupiter.api.Test;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster mode of the migrator on a real ClickHouse server configured as a one-shard cluster
 * with embedded Keeper: every migration applies ON CLUSTER, tables are replicated behind Distributed
 * ones, and ReplacingMergeTree deduplication still holds through the Distributed table. Skipped, and
 * reported as skipped, where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class ClusterMigrationContainerTest {

    @Container
    static final ClickHouseContainer CLICKHOUSE = new ClickHouseContainer("clickhouse/clickhouse-server:25.8")
            .withCopyFileToContainer(MountableFile.forClasspathResource("cluster/refinery-cluster.xml"),
                    "/etc/clickhouse-server/config.d/refinery-cluster.xml")
            .withCopyFileToContainer(MountableFile.forClasspathResource("cluster/refinery-profile.xml"),
                    "/etc/clickhouse-server/users.d/refinery-profile.xml");

    @Test
    void migrations_apply_on_the_cluster_once_and_distributed_reads_deduplicate() throws SQLException {
        WarehouseEndpoint endpoint = new WarehouseEndpoint("http://" + CLICKHOUSE.getHost() + ":"
                + CLICKHOUSE.getMappedPort(8123), CLICKHOUSE.getUsername(), CLICKHOUSE.getPassword(), "refinery_cluster", false);

        assertThat(new SchemaMigrator(endpoint, "refinery").migrate()).hasSize(SchemaMigrator.discover().size());
        assertThat(new SchemaMigrator(endpoint, "refinery").migrate()).isEmpty();

        Properties credentials = new Properties();
        credentials.setProperty("user", endpoint.user());
        credentials.setProperty("password", endpoint.password());
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), credentials); Statement s = c.createStatement()) {
            assertThat(engine(s, "products")).isEqualTo("Distributed");
            assertThat(engine(s, "products_local")).isEqualTo("ReplicatedReplacingMergeTree");
            assertThat(engine(s, "raw_records_local")).isEqualTo("ReplicatedMergeTree");
            s.execute("INSERT INTO products (sku, name, category, unit, batch_id, record_no, version)"
                    + " VALUES ('A', 'old', 'c', 'pcs', generateUUIDv4(), 0, 1)");
            s.execute("INSERT INTO products (sku, name, category, unit, batch_id, record_no, version)"
                    + " VALUES ('A', 'new', 'c', 'pcs', generateUUIDv4(), 0, 2)");
            try (ResultSet rs = s.executeQuery("SELECT count(), any(name) FROM products FINAL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("new");
            }
        }
    }

    private static String engine(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT engine FROM system.tables WHERE database = 'refinery_cluster'"
                + " AND name = '" + table + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
