package io.refinery.ingestion;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.Properties;

/**
 * The real sources tests talk to: the machine's Mosquitto and PostgreSQL when they answer, else an
 * embedded Moquette broker and an embedded PostgreSQL, so tests pass on a fresh machine too.
 * {@code -Drefinery.test.embedded-sources=true} forces the embedded ones.
 */
public final class TestSources {

    private static String mqttUrl;
    private static String jdbcUrl;

    private TestSources() {
    }

    static boolean forceEmbedded() {
        return Boolean.getBoolean("refinery.test.embedded-sources");
    }

    /**
     * An MQTT 5 broker URL, or a skipped test when there is none: the embedded Moquette 0.17 (the
     * newest on Maven Central) speaks MQTT 3.1.1 only, and camel-paho-mqtt5 needs MQTT 5.
     */
    public static String mqtt5BrokerUrl() {
        String url = mqttBrokerUrl();
        org.junit.jupiter.api.Assumptions.assumeTrue(speaksMqtt5(url),
                "no MQTT 5 broker: Mosquitto is not at 127.0.0.1:1883 and embedded Moquette 0.17 speaks MQTT 3.1.1 only");
        return url;
    }

    static boolean speaksMqtt5(String url) {
        try {
            var client = new org.eclipse.paho.mqttv5.client.MqttClient(url, "probe-" + System.nanoTime(),
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.connect();
            client.disconnect();
            client.close();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static synchronized String mqttBrokerUrl() {
        if (mqttUrl == null) {
            if (!forceEmbedded() && reachable(1883)) {
                mqttUrl = "tcp://127.0.0.1:1883";
            } else {
                int port = freePort();
                Properties p = new Properties();
                p.setProperty("host", "127.0.0.1");
                p.setProperty("port", String.valueOf(port));
                p.setProperty("allow_anonymous", "true");
                p.setProperty("persistence_enabled", "false");
                p.setProperty("telemetry_enabled", "false");
                p.setProperty("websocket_port", "disabled");
                try {
                    Server broker = new Server();
                    broker.startServer(new MemoryConfig(p));
                    Runtime.getRuntime().addShutdownHook(new Thread(broker::stopServer));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                mqttUrl = "tcp://127.0.0.1:" + port;
            }
        }
        return mqttUrl;
    }

    /** A JDBC URL (user postgres, no password) of a database the test may create schemas in. */
    public static synchronized String postgresJdbcUrl() {
        if (jdbcUrl == null) {
            if (!forceEmbedded() && reachable(5432)) {
                jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/test";
            } else {
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder()
                            .setDataDirectory(Files.createTempDirectory("refinery-pg"))
                            .setCleanDataDirectory(true).start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is going away
                        }
                    }));
                    jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return jdbcUrl;
    }

    static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
