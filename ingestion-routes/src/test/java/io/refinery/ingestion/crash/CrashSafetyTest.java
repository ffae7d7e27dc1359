package io.refinery.ingestion.crash;

import io.refinery.ingestion.TestSources;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills (SIGKILL) a separate ingestion JVM in the middle of a large file and of an MQTT stream,
 * starts it again on the same warehouse, and proves that nothing was lost and nothing doubled:
 * every line and every message is in the cleaned layer exactly once and the reconciliation holds.
 */
class CrashSafetyTest {

    /** Large enough that the file is still being read when the kill comes (chunks are pipelined). */
    private static final int LINES = 120_000;
    private static final int MESSAGES = 3_000;
    /**
     * Messages the publisher may run ahead of what is landed. A broker queues only so many
     * unacknowledged messages per client (Mosquitto: max_queued_messages, 1000 by default) and
     * drops the rest; acknowledging after landing makes that window real, so the test stays inside it.
     */
    private static final int MAX_LEAD = 600;
    private static final AtomicLong MQTT_LANDED = new AtomicLong();

    @Test
    void aJvmKilledMidFileAndMidStreamResumesWithoutLossOrDuplicates() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path root = Files.createTempDirectory("refinery-crash-");
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path warehouse = root.resolve("warehouse");
        String broker = TestSources.mqttBrokerUrl();
        boolean mqtt = speaksMqtt5(broker);
        String topicPrefix = "crash-" + run;

        Map<String, String> props = new HashMap<>();
        props.put("refinery.warehouse.data-dir", warehouse.toString());
        props.put("refinery.warehouse.database", "crash");
        props.put("refinery.ingestion.allowed-roots", root.toString());
        props.put("refinery.ingestion.batch-size", "2000");
        // the file in blocks as small, so that a kill lands between its blocks (the lane's default is 1 M rows)
        props.put("refinery.ingestion.lane-block-rows", "2000");
        props.put("refinery.ingestion.routes.crash-file.kind", "file-drop");
        props.put("refinery.ingestion.routes.crash-file.entity", "sales-order-lines");
        props.put("refinery.ingestion.routes.crash-file.options.inbox", inbox.toString());
        props.put("refinery.ingestion.routes.crash-file.options.readLockMinAgeMs", "100");
        props.put("refinery.ingestion.routes.crash-file.options.pollDelayMs", "100");
        if (mqtt) {
            props.put("refinery.ingestion.routes.crash-mqtt.kind", "mqtt");
            props.put("refinery.ingestion.routes.crash-mqtt.entity", "iot-readings");
            props.put("refinery.ingestion.routes.crash-mqtt.options.brokerUrl", broker);
            props.put("refinery.ingestion.routes.crash-mqtt.options.clientId", "refinery-" + topicPrefix);
            props.put("refinery.ingestion.routes.crash-mqtt.options.topicPattern",
                    topicPrefix + "/site/{location}/device/{device_id}/{metric}");
            props.put("refinery.ingestion.routes.crash-mqtt.options.maxBatch", "200");
            props.put("refinery.ingestion.routes.crash-mqtt.options.maxDelayMs", "100");
        }

        Path csv = root.resolve("orders.csv.part");
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("line_id,sku,location,quantity,unit_price,ordered_at,channel\n");
            for (int i = 0; i < LINES; i++) {
                out.write("K-" + i + ",sku-" + (i % 97) + ",s" + (i % 5) + "," + (1 + i % 9) + ",2.5,2025-0"
                        + (1 + i % 9) + "-1" + (i % 10) + "T10:00:00Z,web\n");
            }
        }
        Files.move(csv, inbox.resolve("orders.csv"), StandardCopyOption.ATOMIC_MOVE);

        AtomicBoolean paused = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        AtomicReference<Exception> publishFailure = new AtomicReference<>();
        Thread publisher = mqtt ? Thread.ofPlatform().start(() -> publish(broker, topicPrefix, paused, published,
                publishFailure)) : null;

        // First life: killed once a twentieth of the file and some messages are landed.
        Node first = Node.start(props);
        first.awaitReady();
        paused.set(false);
        first.awaitProgress(p -> p.getOrDefault("crash-file.landed", 0L) >= LINES / 20
                && (!mqtt || p.getOrDefault("crash-mqtt.landed", 0L) >= 500), Duration.ofMinutes(3));
        paused.set(true);
        first.kill();
        assertThat(Files.exists(inbox.resolve("orders.csv"))).as("file still in the inbox after the kill").isTrue();
        if (mqtt) {
            // Published while the consumer is dead: the broker keeps them for the persistent session.
            int target = Math.min(MESSAGES, Math.min(published.get() + 200, (int) MQTT_LANDED.get() + MAX_LEAD));
            paused.set(false);
            while (published.get() < target) {
                Thread.sleep(10);
            }
            paused.set(true);
        }

        // Second life: the same warehouse and inbox, the same MQTT session.
        Node second = Node.start(props);
        second.awaitReady();
        paused.set(false);
        if (publisher != null) {
            publisher.join(Duration.ofMinutes(3));
            assertThat(publishFailure.get()).isNull();
        }
        Map<String, Long> last = second.awaitProgress(p -> p.getOrDefault("sales.cleaned", 0L) == LINES
                && (!mqtt || p.getOrDefault("iot.cleaned", 0L) == MESSAGES)
                && p.getOrDefault("crash-file.unprocessed", 1L) == 0
                // messages redelivered after the restart land as new batches: wait until those are processed too
                && (!mqtt || p.getOrDefault("crash-mqtt.unprocessed", 1L) == 0), Duration.ofMinutes(3));
        Thread.sleep(1500);
        last = second.latest();
        second.kill();

        assertThat(last.get("crash-file.landed")).as("raw lines, each landed once").isEqualTo(LINES);
        assertThat(last.get("sales.cleaned")).isEqualTo(LINES);
        assertThat(last.get("crash-file.balanced")).isEqualTo(1L);
        if (mqtt) {
            assertThat(last.get("iot.cleaned")).as("each message cleaned exactly once").isEqualTo(MESSAGES);
            assertThat(last.get("crash-mqtt.landed")).as("raw messages: at least once").isGreaterThanOrEqualTo(MESSAGES);
            assertThat(last.get("crash-mqtt.balanced")).isEqualTo(1L);
        }
        try (var done = Files.list(inbox.resolve("done"))) {
            assertThat(done.map(p -> p.getFileName().toString())).anySatisfy(n -> assertThat(n).endsWith("orders.csv"));
        }
    }

    private static void publish(String broker, String prefix, AtomicBoolean paused, AtomicInteger published,
                                AtomicReference<Exception> failure) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(broker, "crash-pub-" + prefix, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion(10_000);
            Instant base = Instant.parse("2025-03-01T00:00:00Z");
            while (published.get() < MESSAGES) {
                if (paused.get() || published.get() - MQTT_LANDED.get() >= MAX_LEAD) {
                    Thread.sleep(5);
                    continue;
                }
                int i = published.get();
                MqttMessage m = new MqttMessage(((i % 50) + ".25;" + base.plusMillis(i)).getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                try {
                    client.publish(prefix + "/site/s1/device/d" + (i % 20) + "/temp", m).waitForCompletion(10_000);
                } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                    if (e.getReasonCode() != 32202) {
                        throw e;
                    }
                    client.disconnect().waitForCompletion(5_000);
                    client.connect(options).waitForCompletion(10_000);
                    continue;
                }
                published.incrementAndGet();
                if (i % 10 == 0) {
                    Thread.sleep(20); // about 500 messages a second: the stream is still flowing at the kill
                }
            }
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (Exception e) {
            failure.set(e);
        }
    }

    private static boolean speaksMqtt5(String url) {
        try {
            var client = new org.eclipse.paho.mqttv5.client.MqttClient(url, "probe-" + System.nanoTime(),
                    new MemoryPersistence());
            client.connect();
            client.disconnect();
            client.close();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A child JVM running {@link CrashTestNode}. */
    private static final class Node {
        private final Process process;
        private final AtomicReference<Map<String, Long>> progress = new AtomicReference<>(Map.of());
        private final AtomicBoolean ready = new AtomicBoolean();
        private final List<String> tail = java.util.Collections.synchronizedList(new ArrayList<>());

        private Node(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().start(this::read);
        }

        /** Every node started, so that a failing test still leaves no JVM behind. */
        private static final List<Process> STARTED = java.util.Collections.synchronizedList(new ArrayList<>());

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
        }

        static Node start(Map<String, String> props) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xmx1g");
            props.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CrashTestNode.class.getName());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            STARTED.add(process);
            return new Node(process);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready.set(true);
                    } else if (line.startsWith("PROGRESS")) {
                        Map<String, Long> p = new HashMap<>();
                        for (String part : line.substring(8).strip().split(" ")) {
                            String[] kv = part.split("=");
                            if (kv.length == 2) {
                                p.put(kv[0], kv[1].equals("true") ? 1L : kv[1].equals("false") ? 0L : Long.parseLong(kv[1]));
                            }
                        }
                        progress.set(p);
                        MQTT_LANDED.set(p.getOrDefault("crash-mqtt.landed", MQTT_LANDED.get()));
                    } else {
                        tail.add(line);
                        if (tail.size() > 200) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!ready.get()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("ingestion JVM did not start:\n" + String.join("\n", tail));
                }
                Thread.sleep(100);
            }
        }

        Map<String, Long> awaitProgress(java.util.function.Predicate<Map<String, Long>> condition, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(progress.get())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("condition not reached; last progress " + progress.get() + "\n"
                            + String.join("\n", tail));
                }
                Thread.sleep(50);
            }
            return progress.get();
        }

        Map<String, Long> latest() {
            return progress.get();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
            process.waitFor();
        }
    }
}
