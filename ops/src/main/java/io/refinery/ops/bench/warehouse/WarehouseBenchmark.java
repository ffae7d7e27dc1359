package io.refinery.ops.bench.warehouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.data.ClickHouseFormat;
import io.refinery.warehouse.RowBinaryWriter;
import io.refinery.ops.bench.MachineInfo;
import io.refinery.warehouse.embedded.EmbeddedClickHouse;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Measures the warehouse access path (JDBC driver and client-v2 through the loopback endpoint)
 * against calling chDB directly in the same process, on the same data:
 * bulk insert rows/s and a GROUP BY over 10 M rows. Run with {@code ops/bench warehouse}.
 */
public final class WarehouseBenchmark {

    private static final String TABLE_DDL = " (id UInt64, sku String, location LowCardinality(String), day Date,"
            + " quantity Float64) ENGINE = MergeTree ORDER BY (sku, location, day, id)";
    private static final String AGGREGATE = "SELECT sku, location, sum(quantity), count() FROM %s GROUP BY sku, location";

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int jdbcRows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int repeats = 5;
        Path dir = Files.createTempDirectory("refinery-bench-warehouse");
        EmbeddedClickHouse ch = EmbeddedClickHouse.start(new EmbeddedClickHouse.Options(dir, 0, 4, null));
        ch.queryDirect("CREATE DATABASE IF NOT EXISTS bench", "TSV");

        System.out.println("## Warehouse benchmark");
        System.out.println(MachineInfo.describe());
        System.out.printf("rows: %,d (bulk), %,d (JDBC batch); aggregate repeats: %d (median)%n%n", rows, jdbcRows, repeats);

        // The same RowBinary bytes feed both insert paths.
        Path data = dir.resolve("rows.rowbinary");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
            writeRows(new RowBinaryWriter(out), 0, rows);
        }
        long bytes = Files.size(data);

        List<String[]> table = new ArrayList<>();
        // 1. direct chDB: INSERT FROM INFILE (chDB drops inline data at blank lines, so a file is the direct way)
        double[] direct = new double[repeats];
        double[] viaClient = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            recreate(ch, "bench.direct_" + i);
            long t0 = System.nanoTime();
            ch.queryDirect("INSERT INTO bench.direct_" + i + " FROM INFILE '" + data + "' FORMAT RowBinary", "TSV");
            direct[i] = rows / seconds(t0);

            recreate(ch, "bench.client_" + i);
            try (Client client = client(ch)) {
                long t1 = System.nanoTime();
                try (InsertResponse r = client.insert("bench.client_" + i, Files.newInputStream(data),
                        ClickHouseFormat.RowBinary).get(30, TimeUnit.MINUTES)) {
                    if (r.getWrittenRows() != rows) {
                        throw new IllegalStateException("client-v2 wrote " + r.getWrittenRows() + " of " + rows);
                    }
                }
                viaClient[i] = rows / seconds(t1);
            }
            if (i > 0) {
                ch.queryDirect("DROP TABLE bench.direct_" + i, "TSV");
                ch.queryDirect("DROP TABLE bench.client_" + i, "TSV");
            }
        }
        table.add(row("bulk insert, chDB direct (INSERT FROM INFILE)", median(direct), "rows/s", 1.0));
        table.add(row("bulk insert, client-v2 RowBinary via endpoint", median(viaClient), "rows/s",
                median(viaClient) / median(direct)));

        // 2. JDBC PreparedStatement batches (the driver renders VALUES; slower by nature)
        recreate(ch, "bench.jdbc");
        Properties credentials = new Properties();
        credentials.setProperty("user", ch.user());
        credentials.setProperty("password", ch.password());
        try (Connection c = DriverManager.getConnection(ch.jdbcUrl("bench"), credentials);
             PreparedStatement insert = c.prepareStatement("INSERT INTO jdbc (id, sku, location, day, quantity) VALUES (?, ?, ?, ?, ?)")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < jdbcRows; i++) {
                insert.setLong(1, i);
                insert.setString(2, sku(i));
                insert.setString(3, location(i));
                insert.setObject(4, day(i));
                insert.setDouble(5, quantity(i));
                insert.addBatch();
                if ((i + 1) % 100_000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            double rate = jdbcRows / seconds(t0);
            table.add(row("bulk insert, JDBC batch (100k) via endpoint", rate, "rows/s", rate / median(direct)));
        }

        // 3. aggregate over the 10 M rows
        String aggregate = AGGREGATE.formatted("bench.direct_0");
        double[] directAgg = new double[repeats];
        double[] jdbcAgg = new double[repeats];
        long groups = 0;
        try (Connection c = DriverManager.getConnection(ch.jdbcUrl("bench"), credentials); Statement s = c.createStatement()) {
            for (int i = 0; i < repeats + 1; i++) { // the first round warms caches for both paths
                long t0 = System.nanoTime();
                String out = ch.queryDirect(aggregate, "RowBinaryWithNamesAndTypes");
                double d = seconds(t0);
                long t1 = System.nanoTime();
                long n = 0;
                try (ResultSet rs = s.executeQuery(aggregate)) {
                    while (rs.next()) {
                        rs.getString(1);
                        rs.getDouble(3);
                        n++;
                    }
                }
                double j = seconds(t1);
                if (out.isEmpty() || n == 0) {
                    throw new IllegalStateException("aggregate returned nothing");
                }
                groups = n;
                if (i > 0) {
                    directAgg[i - 1] = rows / d;
                    jdbcAgg[i - 1] = rows / j;
                }
            }
        }
        table.add(row("10 M-row GROUP BY (" + groups + " groups), chDB direct", median(directAgg), "rows scanned/s", 1.0));
        table.add(row("10 M-row GROUP BY, JDBC via endpoint", median(jdbcAgg), "rows scanned/s",
                median(jdbcAgg) / median(directAgg)));

        System.out.printf("RowBinary file: %,d bytes%n%n", bytes);
        System.out.println("| path | throughput | unit | vs. chDB direct |");
        System.out.println("|---|---:|---|---:|");
        for (String[] r : table) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.out.println();
        System.out.println("Target: the endpoint keeps >= 70 % of direct throughput (bulk insert via client-v2, aggregate via JDBC).");
        System.exit(0);
    }

    private static Client client(EmbeddedClickHouse ch) {
        return new Client.Builder().addEndpoint(ch.httpUrl()).setUsername(ch.user()).setPassword(ch.password())
                .compressServerResponse(false).build();
    }

    private static void recreate(EmbeddedClickHouse ch, String table) {
        ch.queryDirect("DROP TABLE IF EXISTS " + table, "TSV");
        ch.queryDirect("CREATE TABLE " + table + TABLE_DDL, "TSV");
    }

    private static void writeRows(RowBinaryWriter w, long from, long to) {
        for (long i = from; i < to; i++) {
            w.uint64(i).string(sku(i)).string(location(i)).date(day(i)).float64(quantity(i));
        }
    }

    private static String sku(long i) {
        return "SKU-" + (i % 1000);
    }

    private static String location(long i) {
        return "LOC-" + (i / 1000 % 5);
    }

    private static LocalDate day(long i) {
        return LocalDate.of(2024, 1, 1).plusDays(i / 5000 % 730);
    }

    private static double quantity(long i) {
        return (i * 7919 % 100) / 4.0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String[] row(String path, double rate, String unit, double ratio) {
        return new String[]{path, String.format("%,.0f", rate), unit, String.format("%.0f %%", ratio * 100)};
    }
}
