package io.refinery.warehouse;

import io.refinery.warehouse.cleaned.CleanedRows.IotReading;
import io.refinery.warehouse.cleaned.CleanedRows.PurchaseOrderLine;
import io.refinery.warehouse.cleaned.CleanedRows.Receipt;
import io.refinery.warehouse.cleaned.CleanedRows.SalesOrderLine;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import io.refinery.warehouse.raw.LandedBatch;
import io.refinery.warehouse.raw.RawBatch;
import io.refinery.warehouse.raw.RawChainVerifier;
import io.refinery.warehouse.raw.RawLanding;
import io.refinery.warehouse.raw.RawRecord;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What Refinery needs from ClickHouse, asserted against a real engine: the schema, every column
 * type we use, deduplication, incremental served aggregates, errors and concurrency. Runs on the
 * embedded engine always and on a ClickHouse server where Docker is available.
 */
abstract class WarehouseContractSuite {

    @Autowired
    DSLContext dsl;
    @Autowired
    DataSource dataSource;
    @Autowired
    WarehouseEndpoint endpoint;
    @Autowired
    RawLanding rawLanding;
    @Autowired
    CleanedWriter cleaned;
    @Autowired
    BulkInserter inserter;
    @Autowired
    RawChainVerifier verifier;

    private static final Instant T0 = Instant.parse("2025-03-10T08:15:30.125Z");

    @Test
    void migrationsAreRecordedOnceAndARerunAppliesNothing() {
        List<SchemaMigrator.Migration> appliedAgain = new SchemaMigrator(endpoint).migrate();

        assertThat(appliedAgain).isEmpty();
        assertThat(value(Long.class, "SELECT count() FROM schema_migrations"))
                .isEqualTo((long) SchemaMigrator.discover().size());
        assertThat(value(Long.class, "SELECT count() FROM system.tables WHERE database = currentDatabase()"
                + " AND name IN ('raw_records','raw_batches','sales_order_lines','demand_daily','lead_times')"))
                .isEqualTo(5);
    }

    @Test
    void anEditedMigrationIsRefusedInsteadOfRerun() throws SQLException {
        var other = new WarehouseEndpoint(endpoint.httpUrl(), endpoint.user(), endpoint.password(),
                endpoint.database() + "_tampered", endpoint.embedded());
        new SchemaMigrator(other).migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE `" + other.database() + "`.schema_migrations UPDATE checksum = 'edited'"
                    + " WHERE version = 1 SETTINGS mutations_sync = 1");
        }

        assertThatThrownBy(() -> new SchemaMigrator(other).migrate())
                .hasMessageContaining("V1 (data model) was changed after it was applied");
    }

    @Test
    void rawBatchesLandOnceKeepPayloadsByteForByteAndFormAHashChain() {
        String route = "route-" + UUID.randomUUID();
        String tricky = "line one\n\nafter a blank line\t tab, quote ' \" and unicode ü 漢字 \u0000 nul";
        RawBatch first = new RawBatch(UUID.randomUUID(), "file", route, "sales_order_lines", "orders.csv", T0,
                List.of(new RawRecord("line:2", tricky), new RawRecord("line:3", "{\"sku\":\"A\"}")));
        RawBatch second = new RawBatch(UUID.randomUUID(), "file", route, "sales_order_lines", "orders2.csv", T0,
                List.of(new RawRecord("line:2", "x")));

        LandedBatch landed = rawLanding.land(first);
        LandedBatch again = rawLanding.land(first);
        LandedBatch next = rawLanding.land(second);

        assertThat(landed.alreadyLanded()).isFalse();
        assertThat(again.alreadyLanded()).isTrue();
        assertThat(again.batchHash()).isEqualTo(landed.batchHash());
        assertThat(rawLanding.records(first.batchId())).extracting(RawRecord::payload)
                .containsExactly(tricky, "{\"sku\":\"A\"}");
        assertThat(value(Long.class, "SELECT count() FROM raw_records WHERE batch_id = {0}", first.batchId()))
                .isEqualTo(2L);
        assertThat(value(String.class, "SELECT prev_hash FROM raw_batches WHERE batch_id = {0}", second.batchId()))
                .isEqualTo(landed.batchHash());
        assertThat(next.batchHash()).isNotEqualTo(landed.batchHash());
    }

    @Test
    void aBlockHandedOverAsBytesLandsExactlyItsLengthWithTheHashOfThoseBytes() throws Exception {
        String route = "route-" + UUID.randomUUID();
        byte[] block = "line_id,sku\nb-1,ü\nb-2,漢\n".getBytes(StandardCharsets.UTF_8);
        byte[] buffer = java.util.Arrays.copyOf(block, block.length + 64); // a reader's buffer, larger than the block
        java.util.Arrays.fill(buffer, block.length, buffer.length, (byte) 'X');
        RawBatch batch = new RawBatch(UUID.randomUUID(), "file", route, "sales_order_lines", "bytes.csv", T0,
                List.of(RawRecord.ofUtf8("lines 2-3", buffer, block.length, RawRecord.CSV_BLOCK, 2)));

        rawLanding.land(batch);

        String text = new String(block, StandardCharsets.UTF_8);
        assertThat(rawLanding.records(batch.batchId())).containsExactly(
                new RawRecord("lines 2-3", text, RawRecord.CSV_BLOCK, 2));
        assertThat(value(String.class, "SELECT payload_hash FROM raw_records WHERE batch_id = {0}", batch.batchId()))
                .isEqualTo(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(block)));
        assertThat(value(Long.class, "SELECT payload_bytes FROM raw_batches WHERE batch_id = {0}", batch.batchId()))
                .isEqualTo((long) block.length);
        assertThat(verifier.verify(route).ok()).isTrue();
    }

    @Test
    void recordsLeftByALandingThatCrashedBeforeItsManifestAreReplacedNotDoubled() {
        String route = "route-" + UUID.randomUUID();
        RawBatch batch = new RawBatch(UUID.randomUUID(), "file", route, "sales_order_lines", "crashed.csv", T0,
                List.of(new RawRecord("line:2", "line two"), new RawRecord("line:3", "line three")));
        // what an attempt that died between its records and its manifest leaves: a record, no manifest
        dsl.execute("INSERT INTO raw_records (batch_id, record_no, source, route_id, entity, source_offset, received_at,"
                + " payload, payload_hash) VALUES ({0}, 0, 'file', {1}, 'sales_order_lines', 'line:2', now64(3),"
                + " 'line two', 'h')", org.jooq.impl.DSL.inline(batch.batchId().toString()),
                org.jooq.impl.DSL.inline(route));

        LandedBatch landed = rawLanding.land(batch);

        assertThat(landed.alreadyLanded()).isFalse();
        assertThat(value(Long.class, "SELECT count() FROM raw_records WHERE batch_id = {0}", batch.batchId()))
                .isEqualTo(2L);
        assertThat(rawLanding.land(batch).alreadyLanded()).isTrue();
        assertThat(verifier.verify(route).ok()).isTrue();
    }

    @Test
    void aCsvBlockLandsAsOneRawRowThatCountsItsRecordsAndKeepsTheChain() {
        String route = "route-" + UUID.randomUUID();
        String block = "line_id,quantity\nb-1,2\n\"b-2\",\"3\"\nb-3,4\n";
        RawBatch batch = new RawBatch(UUID.randomUUID(), "file", route, "sales_order_lines", "blocks.csv", T0,
                List.of(new RawRecord("lines 2-4", block, RawRecord.CSV_BLOCK, 3)));

        LandedBatch landed = rawLanding.land(batch);

        assertThat(landed.records()).isEqualTo(3);
        assertThat(value(Long.class, "SELECT record_count FROM raw_batches WHERE batch_id = {0}", batch.batchId()))
                .isEqualTo(3L);
        assertThat(rawLanding.records(batch.batchId())).containsExactly(
                new RawRecord("lines 2-4", block, RawRecord.CSV_BLOCK, 3));
        assertThat(verifier.verify(route).ok()).isTrue();
        assertThat(verifier.verify(route).records()).isEqualTo(3);
    }

    @Test
    void anInsertSelectOverInputTransformsTheBodyInTheEngine() {
        dsl.execute("CREATE TABLE IF NOT EXISTS input_probe (id String, n Int64) ENGINE = MergeTree ORDER BY id");
        byte[] csv = "id,n\na,1\n\"b,c\",2\nskipped,-1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        long written = inserter.insertSelect("INSERT INTO input_probe (id, n) SELECT upper(id), n * 10"
                + " FROM input('id String, n Int64') WHERE n > 0", "CSVWithNames", csv);

        assertThat(written).isEqualTo(2);
        assertThat(dsl.fetch("SELECT id, n FROM input_probe ORDER BY id").map(r -> r.get(0) + "=" + r.get(1)))
                .containsExactly("A=10", "B,C=20");
        assertThatThrownBy(() -> inserter.insertSelect("INSERT INTO input_probe (id, n) SELECT id, n"
                + " FROM input('id String, n Int64')", "CSVWithNames", "id,n\nx,notanumber\n".getBytes()))
                .isInstanceOf(WarehouseException.class);
    }

    @Test
    void everyCleanedColumnTypeRoundTripsExactly() {
        UUID batch = UUID.randomUUID();
        cleaned.writeSalesOrderLines(List.of(
                new SalesOrderLine("types-1", "SKU-T", "LOC-T", new BigDecimal("12.3456"), null, T0, "web",
                        new Lineage(batch, 0, 1)),
                new SalesOrderLine("types-2", "SKU-T", "LOC-T", new BigDecimal("0.5"), new BigDecimal("19.99"), T0,
                        "store", new Lineage(batch, 1, 1))));
        cleaned.writePurchaseOrderLines(List.of(new PurchaseOrderLine("types-po", "SUP-T", "SKU-T", "LOC-T",
                new BigDecimal("100"), T0, LocalDate.of(2025, 3, 20), new Lineage(batch, 2, 1))));
        cleaned.writeIotReadings(List.of(new IotReading("dev-T", "LOC-T", null, "stock", 41.75, T0,
                new Lineage(batch, 3, 1))));

        var line = dsl.fetchOne("SELECT quantity, unit_price, ordered_at, channel, batch_id FROM sales_order_lines"
                + " WHERE line_id = 'types-1'");
        assertThat(line.get(0, BigDecimal.class)).isEqualByComparingTo("12.3456");
        assertThat(line.get(1)).isNull();
        assertThat(line.get(2, java.sql.Timestamp.class).toInstant()).isEqualTo(T0);
        assertThat(line.get(3, String.class)).isEqualTo("web");
        assertThat(line.get(4, UUID.class)).isEqualTo(batch);
        assertThat(value(BigDecimal.class, "SELECT unit_price FROM sales_order_lines WHERE line_id = 'types-2'"))
                .isEqualByComparingTo("19.99");
        assertThat(value(LocalDate.class, "SELECT promised_date FROM purchase_order_lines WHERE po_line_id = 'types-po'")).isEqualTo(LocalDate.of(2025, 3, 20));
        var reading = dsl.fetchOne("SELECT value, sku FROM iot_readings WHERE device_id = 'dev-T'");
        assertThat(reading.get(0, Double.class)).isEqualTo(41.75);
        assertThat(reading.get(1, String.class)).isEmpty();
    }

    @Test
    void redeliveredAndCorrectedOrderLinesNeverDoubleCountInServedDemand() {
        String sku = "SKU-" + UUID.randomUUID();
        Instant day1 = Instant.parse("2025-01-01T10:00:00Z");
        Instant day2 = Instant.parse("2025-01-02T10:00:00Z");
        List<SalesOrderLine> delivery = List.of(
                line("d-1-" + sku, sku, "3", day1, 1), line("d-2-" + sku, sku, "4", day1, 1));

        cleaned.writeSalesOrderLines(delivery);
        cleaned.writeSalesOrderLines(delivery); // at-least-once: the same batch again
        assertThat(demand(sku, "2025-01-01")).isEqualByComparingTo("7");

        cleaned.writeSalesOrderLines(List.of(line("d-2-" + sku, sku, "4", day2, 2))); // corrected: moved a day
        assertThat(demand(sku, "2025-01-01")).isEqualByComparingTo("3");
        assertThat(demand(sku, "2025-01-02")).isEqualByComparingTo("4");
        assertThat(value(BigDecimal.class, "SELECT sum(quantity) FROM demand_weekly WHERE sku = {0}", sku))
                .isEqualByComparingTo("7");
    }

    @Test
    void lateAndOutOfOrderEventsFoldIntoTheirOwnDay() {
        String sku = "SKU-" + UUID.randomUUID();
        cleaned.writeSalesOrderLines(List.of(line("l-3-" + sku, sku, "5", Instant.parse("2025-02-03T00:00:00Z"), 1)));
        cleaned.writeSalesOrderLines(List.of(line("l-1-" + sku, sku, "1", Instant.parse("2025-02-01T23:59:59.999Z"), 1)));
        cleaned.writeSalesOrderLines(List.of(line("l-2-" + sku, sku, "2", Instant.parse("2025-02-02T12:00:00Z"), 1),
                line("l-2b-" + sku, sku, "2", Instant.parse("2025-02-02T13:00:00Z"), 1)));

        assertThat(demand(sku, "2025-02-01")).isEqualByComparingTo("1");
        assertThat(demand(sku, "2025-02-02")).isEqualByComparingTo("4");
        assertThat(demand(sku, "2025-02-03")).isEqualByComparingTo("5");
        assertThat(value(BigDecimal.class, "SELECT sum(quantity) FROM demand_monthly WHERE sku = {0} AND month = '2025-02-01'",
                sku)).isEqualByComparingTo("10");
    }

    @Test
    void leadTimeAndDelayFollowOrdersAndReceipts() {
        String po = "PO-" + UUID.randomUUID();
        UUID batch = UUID.randomUUID();
        cleaned.writePurchaseOrderLines(List.of(new PurchaseOrderLine(po, "SUP-1", "SKU-1", "LOC-1",
                new BigDecimal("10"), Instant.parse("2025-01-01T00:00:00Z"), LocalDate.of(2025, 1, 8),
                new Lineage(batch, 0, 1))));
        assertThat(value(Object.class, "SELECT lead_time_days FROM lead_times FINAL WHERE po_line_id = {0}", po)).isNull();

        cleaned.writeReceipts(List.of(
                new Receipt("R1-" + po, po, new BigDecimal("6"), Instant.parse("2025-01-10T12:00:00Z"), new Lineage(batch, 1, 1)),
                new Receipt("R2-" + po, po, new BigDecimal("4"), Instant.parse("2025-01-12T00:00:00Z"), new Lineage(batch, 2, 1))));

        var row = dsl.fetchOne("SELECT lead_time_days, delay_days, received_quantity FROM lead_times FINAL"
                + " WHERE po_line_id = {0}", po);
        assertThat(row.get(0, Double.class)).isEqualTo(9.5);
        assertThat(row.get(1, Double.class)).isEqualTo(2.5);
        assertThat(row.get(2, BigDecimal.class)).isEqualByComparingTo("10");
    }

    /**
     * A failure of the data is not an outage, while one of reaching the warehouse is, even when the
     * warehouse answers again by the time the failure is looked at (the end of an outage).
     */
    @Test
    void aConnectionFailureIsAnOutageAndAnErrorOfTheQueryIsNot() throws Exception {
        Exception ofTheQuery = catchThrowableOfType(Exception.class, () -> dsl.fetch("SELECT * FROM no_such_table"));
        assertThat(rawLanding.unavailable(ofTheQuery)).isFalse();

        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Exception ofTheConnection = catchThrowableOfType(Exception.class, () -> {
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:clickhouse:http://127.0.0.1:" + closedPort
                    + "/default"); Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1");
            }
        });
        assertThat(ofTheConnection).isNotNull();
        assertThat(rawLanding.answers()).isTrue();
        assertThat(rawLanding.unavailable(new org.jooq.exception.DataAccessException("SQL [SELECT 1]", ofTheConnection)))
                .isTrue();
    }

    @Test
    void errorsCarryClickHouseCodesAndMessages() {
        assertThatThrownBy(() -> query("SELECT * FROM no_such_table"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_table")
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(60));
        assertThatThrownBy(() -> query("SELEC 1"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(62));
        assertThatThrownBy(() -> query("SELECT toDate('not-a-date')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("not-a-date");
    }

    @Test
    void jdbcBatchInsertsKeepEveryRowIncludingBlankLinesInStrings() throws SQLException {
        String table = "batch_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id UInt32, text String, at DateTime64(3, 'UTC'), d Date,"
                    + " n Nullable(Float64)) ENGINE = MergeTree ORDER BY id");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 2000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row " + i + "\n\nsecond paragraph");
                    insert.setTimestamp(3, java.sql.Timestamp.from(T0));
                    insert.setObject(4, LocalDate.of(2025, 1, 1));
                    if (i % 3 == 0) {
                        insert.setNull(5, java.sql.Types.DOUBLE);
                    } else {
                        insert.setDouble(5, i / 2.0);
                    }
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                assertThat(counts).hasSize(2000);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(), countIf(text LIKE '%\\n\\nsecond paragraph'),"
                    + " countIf(n IS NULL) FROM " + table)) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2000);
                assertThat(rs.getLong(2)).isEqualTo(2000);
                assertThat(rs.getLong(3)).isEqualTo(667);
            }
            assertThat(s.executeUpdate("INSERT INTO " + table + " (id, text, at, d) VALUES (9001, 'a', now(), today()),"
                    + " (9002, 'b', now(), today())")).isEqualTo(2);
        }
    }

    @Test
    void concurrentWritersAndReadersSeeExactCounts() throws Exception {
        String table = "conc_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (writer UInt8, i UInt32) ENGINE = MergeTree ORDER BY (writer, i)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Long>> work = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                work.add(() -> {
                    long reads = 0;
                    for (int round = 0; round < 5; round++) {
                        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                            s.execute("INSERT INTO " + table + " SELECT " + writer + ", number + " + round * 1000
                                    + " FROM numbers(1000)");
                            try (ResultSet rs = s.executeQuery("SELECT count() FROM " + table + " WHERE writer = " + writer)) {
                                rs.next();
                                reads = rs.getLong(1);
                            }
                        }
                    }
                    return reads;
                });
            }
            for (Future<Long> result : pool.invokeAll(work)) {
                assertThat(result.get()).isEqualTo(5000);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(value(Long.class, "SELECT count() FROM " + table)).isEqualTo(30_000);
    }

    private <T> T value(Class<T> type, String sql, Object... bindings) {
        return dsl.resultQuery(sql, bindings).fetchOptional(0, type).orElse(null);
    }

    private void query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
        }
    }

    private BigDecimal demand(String sku, String day) {
        BigDecimal value = value(BigDecimal.class, "SELECT quantity FROM demand_daily FINAL WHERE sku = {0} AND day = {1}",
                sku, day);
        return value == null ? BigDecimal.ZERO : value;
    }

    private static SalesOrderLine line(String id, String sku, String qty, Instant at, long version) {
        return new SalesOrderLine(id, sku, "LOC-1", new BigDecimal(qty), new BigDecimal("2.00"), at, "web",
                new Lineage(UUID.randomUUID(), 0, version));
    }
}
