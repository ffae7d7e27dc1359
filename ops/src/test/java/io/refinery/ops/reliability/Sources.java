package io.refinery.ops.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The three kinds of source the reliability suite feeds while it kills things: an ERP file drop,
 * an ERP database table (PostgreSQL) and IoT devices on MQTT. Each knows exactly what it produced,
 * so the suite can compare with what the warehouse holds: nothing lost, nothing counted twice.
 */
final class Sources {

    private Sources() {
    }

    /** Writes CSV files of sales order lines into an inbox, one at a time (atomic rename, as an ERP export would). */
    static final class FileDrop {
        final Path inbox;
        final int files;
        final int linesPerFile;
        final AtomicLong written = new AtomicLong();
        final AtomicLong quantity = new AtomicLong();

        FileDrop(Path inbox, int files, int linesPerFile) {
            this.inbox = inbox;
            this.files = files;
            this.linesPerFile = linesPerFile;
        }

        void produce(long pauseMs) throws IOException, InterruptedException {
            for (int f = 0; f < files; f++) {
                Path part = inbox.getParent().resolve("export-" + f + ".csv.part");
                try (BufferedWriter out = Files.newBufferedWriter(part)) {
                    out.write("line_id,sku,location,quantity,unit_price,ordered_at,channel\n");
                    for (int i = 0; i < linesPerFile; i++) {
                        int q = 1 + (i % 9);
                        out.write("F" + f + "-" + i + ",sku-" + (i % 97) + ",s" + (i % 5) + "," + q + ",2.5,2025-0"
                                + (1 + i % 9) + "-1" + (i % 10) + "T10:00:00Z,web\n");
                        quantity.addAndGet(q);
                    }
                }
                Files.move(part, inbox.resolve("export-" + f + ".csv"), StandardCopyOption.ATOMIC_MOVE);
                written.addAndGet(linesPerFile);
                Thread.sleep(pauseMs);
            }
        }

        long expectedLines() {
            return (long) files * linesPerFile;
        }
    }

    /** An ERP order-line table that grows and gets updated while the route polls it by updated_at. */
    static final class ErpTable {
        final String url;
        final String table;
        final int rows;
        final AtomicLong inserted = new AtomicLong();
        final AtomicLong quantity = new AtomicLong();

        ErpTable(String url, String table, int rows) {
            this.url = url;
            this.table = table;
            this.rows = rows;
        }

        void create() throws SQLException {
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, item VARCHAR(32), store VARCHAR(32),"
                        + " qty DECIMAL(12,2), ordered TIMESTAMP NULL, updated_at TIMESTAMP NOT NULL)");
            }
        }

        /** Inserts in small transactions; updated_at only grows, several rows share one value (the key breaks ties). */
        void produce(int perTick, long tickMs) throws SQLException, InterruptedException {
            LocalDateTime clock = LocalDateTime.of(2025, 7, 1, 0, 0);
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                         + " (id, item, store, qty, ordered, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                int id = 0;
                while (id < rows) {
                    for (int k = 0; k < perTick && id < rows; k++, id++) {
                        int q = 1 + id % 7;
                        insert.setInt(1, 1_000_000 + id);
                        insert.setString(2, "erp-" + (id % 31));
                        insert.setString(3, "store-" + (id % 3));
                        insert.setBigDecimal(4, java.math.BigDecimal.valueOf(q));
                        insert.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(2025, 6, 30, 12, 0).plusMinutes(id % 600)));
                        insert.setTimestamp(6, Timestamp.valueOf(clock.plusSeconds(id / 4)));
                        insert.addBatch();
                        quantity.addAndGet(q);
                    }
                    insert.executeBatch();
                    inserted.set(id);
                    Thread.sleep(tickMs);
                }
            }
        }

        void drop() {
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            } catch (SQLException ignored) {
                // best effort
            }
        }

        /** The machine's PostgreSQL when it answers, else an embedded one (zonky), so a fresh machine runs the suite too. */
        static String postgresUrl(Path scratch) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 5432), 300);
                return "jdbc:postgresql://127.0.0.1:5432/test";
            } catch (IOException notHere) {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(Files.createDirectories(scratch))
                        .setCleanDataDirectory(true).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
                return pg.getJdbcUrl("postgres", "postgres");
            }
        }
    }

    /** IoT devices publishing QoS 1 readings; on any broker error they reconnect and publish the same reading again. */
    static final class Devices {
        final String brokerUrl;
        final String prefix;
        final int messages;
        final AtomicLong published = new AtomicLong();
        final AtomicLong republished = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();

        Devices(String brokerUrl, String prefix, int messages) {
            this.brokerUrl = brokerUrl;
            this.prefix = prefix;
            this.messages = messages;
        }

        /**
         * Opens the consumer's persistent session on the broker before anything is published, as a
         * deployment's first start would: readings sent while no consumer has ever subscribed would
         * otherwise go nowhere (that is MQTT, not a loss of ours).
         */
        void primeSession(String consumerClientId) throws Exception {
            var client = new org.eclipse.paho.mqttv5.client.MqttClient(brokerUrl, consumerClientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(24L * 3600);
            client.connect(options);
            client.subscribe(prefix + "/site/+/device/+/+", 1);
            client.disconnect();
            client.close();
        }

        void produce(int perSecond) {
            try {
                MqttAsyncClient client = new MqttAsyncClient(brokerUrl, "pub-" + prefix, new MemoryPersistence());
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                connect(client, options);
                Instant base = Instant.parse("2025-03-01T00:00:00Z");
                long started = System.nanoTime();
                for (int i = 0; i < messages; ) {
                    long due = started + (long) i * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    MqttMessage m = new MqttMessage(((i % 50) + ".25;" + base.plusMillis(i)).getBytes(StandardCharsets.UTF_8));
                    m.setQos(1);
                    try {
                        client.publish(prefix + "/site/s1/device/d" + (i % 20) + "/temp", m).waitForCompletion(10_000);
                        i++;
                        published.set(i);
                    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                        // not acknowledged by the broker (it restarted, the connection broke): publish it again
                        republished.incrementAndGet();
                        Thread.sleep(200);
                        if (!client.isConnected()) {
                            connect(client, options);
                        }
                    }
                }
                client.disconnect().waitForCompletion(5_000);
                client.close();
            } catch (Exception e) {
                failure.set(e);
            }
        }

        private static void connect(MqttAsyncClient client, MqttConnectionOptions options) throws InterruptedException {
            while (true) {
                try {
                    client.connect(options).waitForCompletion(5_000);
                    return;
                } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                    Thread.sleep(500);
                }
            }
        }
    }
}
