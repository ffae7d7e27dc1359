package io.refinery.ingestion.jdbc;

import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.TestSources;
import io.refinery.ingestion.admin.DryRun;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.warehouse.ingest.CursorStore;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestionIntegrationTest
class JdbcRouteTest {

    @Autowired
    RouteAdmin admin;
    @Autowired
    Ingestion ingestion;
    @Autowired
    IngestionLedger ledger;
    @Autowired
    CursorStore cursors;

    Reconciliation reconciliation(String route) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst()
                .orElse(new Reconciliation(route, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void postgresRowsArePolledIncrementallyAndTheCursorAdvancesOnlyAfterLanding() throws Exception {
        pollsIncrementally(TestSources.postgresJdbcUrl(), "postgres", "CREATE SCHEMA IF NOT EXISTS erp", "erp.");
    }

    @Test
    void theSameRouteWorksOnMariaDb() throws Exception {
        Assumptions.assumeTrue(reachable(3306), "no MariaDB at 127.0.0.1:3306");
        pollsIncrementally("jdbc:mariadb://127.0.0.1:3306/test", "root", null, "");
    }

    private void pollsIncrementally(String url, String user, String schemaDdl, String schema) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String table = schema + "order_lines_" + run;
        String route = "jdbc-" + user + "-" + run;
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            try (Statement s = c.createStatement()) {
                if (schemaDdl != null) {
                    s.execute(schemaDdl);
                }
                s.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, item VARCHAR(32), store VARCHAR(32),"
                        + " qty DECIMAL(12,2), ordered TIMESTAMP NULL, updated_at TIMESTAMP NOT NULL)");
            }
            insert(c, table, 1, 25, LocalDateTime.of(2025, 7, 1, 8, 0));
            admin.create(new RouteDefinition(route, RouteKind.JDBC, Entity.SALES_ORDER_LINES, DriftPolicy.ACCEPT_AND_FLAG,
                    Map.of("jdbcUrl", url, "username", user, "table", table, "cursorColumn", "updated_at",
                            "keyColumn", "id", "pageSize", "10", "pollDelayMs", "300",
                            "columns", "id:line_id,ordered:ordered_at")), "test");

            DryRun dryRun = admin.validate(admin.get(route).orElseThrow().definition(), 5);
            assertThat(dryRun.connected()).as(String.valueOf(dryRun.error())).isTrue();
            assertThat(dryRun.preview().records()).isEqualTo(5);
            assertThat(dryRun.preview().valid()).isEqualTo(5);

            admin.start(route, "test");
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() == 25);
            try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET qty = 99, updated_at = ? WHERE id IN (" + (base(table) + 3) + ", " + (base(table) + 4) + ")")) {
                update.setTimestamp(1, Timestamp.valueOf(LocalDateTime.of(2025, 7, 2, 9, 0)));
                update.executeUpdate();
            }
            insert(c, table, 26, 30, LocalDateTime.of(2025, 7, 2, 9, 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() == 32);
            Thread.sleep(1000);
        } finally {
            admin.delete(route, "test");
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
        Reconciliation r = reconciliation(route);
        assertThat(r.landedRecords()).isEqualTo(32);
        assertThat(r.cleaned()).isEqualTo(32);
        assertThat(r.balanced()).isTrue();
        assertThat(cursors.cursor(route).orElseThrow().cursor()).contains("2025-07-02T09:07").contains("\"key\":\"" + (base(table) + 30) + "\"");
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).anySatisfy(l ->
                assertThat(l).startsWith((base(table) + 3) + "\tSKU-" + run.toUpperCase() + "\tSTORE-0\t99.0000"));
    }

    private static void insert(Connection c, String table, int from, int to, LocalDateTime updatedAt) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                + " (id, item, store, qty, ordered, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            String run = table.substring(table.lastIndexOf('_') + 1);
            for (int i = from; i <= to; i++) {
                insert.setInt(1, base(table) + i);
                insert.setString(2, "sku-" + run);
                insert.setString(3, "store-" + (i % 3));
                insert.setBigDecimal(4, java.math.BigDecimal.valueOf(i));
                insert.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(2025, 6, 30, 12, 0)));
                // Several rows share one updated_at: the key column keeps page boundaries exact.
                insert.setTimestamp(6, Timestamp.valueOf(updatedAt.plusMinutes(i / 4)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Line ids of their own per table, as all tests share one warehouse database. */
    private static int base(String table) {
        return Math.abs(table.hashCode() % 1000) * 1000;
    }

    private static boolean reachable(int port) {
        try (var s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
