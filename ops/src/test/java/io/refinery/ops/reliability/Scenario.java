package io.refinery.ops.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What the reliability scenarios share: a scratch directory, the three sources, the node's route
 * properties, and the final check — every source's records are in the cleaned layer exactly once,
 * the served totals equal what was produced, and every route reconciles.
 */
abstract class Scenario {

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Path work;
    final Sources.FileDrop files;
    final Sources.ErpTable erp;
    final Optional<OwnMosquitto> broker;
    final Sources.Devices devices;
    final Map<String, String> nodeProperties = new HashMap<>();
    final List<String> report = new ArrayList<>();

    Scenario(Path work, int files, int linesPerFile, int erpRows, int messages) throws Exception {
        this.work = work;
        Path inbox = Files.createDirectories(work.resolve("drop").resolve("inbox"));
        this.files = new Sources.FileDrop(inbox, files, linesPerFile);
        this.erp = new Sources.ErpTable(Sources.ErpTable.postgresUrl(work.resolve("pg")), "reliability_" + run, erpRows);
        this.erp.create();
        this.broker = OwnMosquitto.start(work.resolve("mosquitto"));
        this.devices = broker.map(b -> new Sources.Devices(b.url(), "rel-" + run, messages)).orElse(null);
        if (broker.isEmpty()) {
            report.add("MQTT: skipped (no /usr/sbin/mosquitto; apt-get install mosquitto)");
        }

        nodeProperties.put("refinery.warehouse.database", "reliability");
        // A killed node's route leases must expire before the next life consumes: a short ttl keeps
        // the kills landing in consumption, not in waiting.
        nodeProperties.put("refinery.lease.ttl", "5s");
        nodeProperties.put("refinery.lease.settle", "500ms");
        nodeProperties.put("refinery.ingestion.allowed-roots", work.toString());
        nodeProperties.put("refinery.ingestion.batch-size", "2000");
        // the file in blocks as small, so that a kill lands between its blocks (the lane's default is 1 M rows)
        nodeProperties.put("refinery.ingestion.lane-block-rows", "2000");
        nodeProperties.put("logging.level.io.refinery.ingestion.mqtt", "DEBUG");
        nodeProperties.put("refinery.ingestion.routes.rel-file.kind", "file-drop");
        nodeProperties.put("refinery.ingestion.routes.rel-file.entity", "sales-order-lines");
        nodeProperties.put("refinery.ingestion.routes.rel-file.options.inbox", inbox.toString());
        nodeProperties.put("refinery.ingestion.routes.rel-file.options.readLockMinAgeMs", "100");
        nodeProperties.put("refinery.ingestion.routes.rel-file.options.pollDelayMs", "100");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.kind", "jdbc");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.entity", "sales-order-lines");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.jdbcUrl", erp.url);
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.username", "postgres");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.table", erp.table);
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.cursorColumn", "updated_at");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.keyColumn", "id");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.pageSize", "500");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.pollDelayMs", "200");
        nodeProperties.put("refinery.ingestion.routes.rel-erp.options.columns", "id:line_id,ordered:ordered_at");
        if (devices != null) {
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.kind", "mqtt");
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.entity", "iot-readings");
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.options.brokerUrl", devices.brokerUrl);
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.options.clientId", "refinery-rel-" + run);
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.options.topicPattern",
                    devices.prefix + "/site/{location}/device/{device_id}/{metric}");
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.options.maxBatch", "500");
            nodeProperties.put("refinery.ingestion.routes.rel-mqtt.options.maxDelayMs", "100");
            devices.primeSession("refinery-rel-" + run);
        }
    }

    /** Starts the producers on their own threads; they run across node lives. */
    List<Thread> startProducers(long filePauseMs, int erpRowsPerTick, long erpTickMs, int messagesPerSecond) {
        List<Thread> producers = new ArrayList<>();
        producers.add(Thread.ofPlatform().name("files").start(() -> {
            try {
                files.produce(filePauseMs);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        producers.add(Thread.ofPlatform().name("erp").start(() -> {
            try {
                erp.produce(erpRowsPerTick, erpTickMs);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        if (devices != null) {
            producers.add(Thread.ofPlatform().name("devices").start(() -> devices.produce(messagesPerSecond)));
        }
        return producers;
    }

    long expectedSalesLines() {
        return files.expectedLines() + erp.rows;
    }

    long expectedMessages() {
        return devices == null ? 0 : devices.messages;
    }

    Predicate<Map<String, Long>> everythingCleaned() {
        return p -> p.getOrDefault("sales.cleaned", -1L) == expectedSalesLines()
                && p.getOrDefault("iot.cleaned", 0L) == expectedMessages()
                && p.getOrDefault("rel-file.unprocessed", 1L) == 0
                && p.getOrDefault("rel-erp.unprocessed", 1L) == 0
                && (devices == null || p.getOrDefault("rel-mqtt.unprocessed", 1L) == 0);
    }

    /** The verdict, one line per fact; throws when anything was lost or counted twice. */
    Map<String, Long> verify(ChildJvm node, Duration settle) throws InterruptedException {
        Map<String, Long> p = node.awaitProgress(everythingCleaned(), settle);
        Thread.sleep(1500); // late redeliveries would show up now
        p = node.awaitProgress(q -> q.containsKey("served.quantity"), Duration.ofSeconds(30));
        long expectedQuantity = files.quantity.get() + erp.quantity.get();
        List<String> problems = new ArrayList<>();
        check(problems, "cleaned sales lines", p.get("sales.cleaned"), expectedSalesLines());
        check(problems, "cleaned IoT readings", p.get("iot.cleaned"), expectedMessages());
        check(problems, "served quantity (each line counted once)", p.get("served.quantity"), expectedQuantity);
        check(problems, "served order lines", p.get("served.lines"), expectedSalesLines());
        for (String route : devices == null ? List.of("rel-file", "rel-erp") : List.of("rel-file", "rel-erp", "rel-mqtt")) {
            check(problems, route + " reconciliation balanced", p.get(route + ".balanced"), 1L);
            check(problems, route + " quarantined", p.get(route + ".quarantined"), 0L);
        }
        report.add("files: %d lines, ERP: %d rows, MQTT: %d messages (%d re-published after broker errors)".formatted(
                files.expectedLines(), erp.rows, expectedMessages(), devices == null ? 0 : devices.republished.get()));
        report.add("cleaned sales lines %d (expected %d), IoT readings %d (expected %d), served quantity %d (expected %d)"
                .formatted(p.get("sales.cleaned"), expectedSalesLines(), p.get("iot.cleaned"), expectedMessages(),
                        p.get("served.quantity"), expectedQuantity));
        report.add("lost 0, duplicated 0: " + (problems.isEmpty() ? "yes" : "NO"));
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems) + "\nlast progress " + p);
        }
        return p;
    }

    private static void check(List<String> problems, String what, Long actual, long expected) {
        if (actual == null || actual != expected) {
            problems.add(what + ": " + actual + ", expected " + expected);
        }
    }

    void cleanUp() throws InterruptedException {
        erp.drop();
        if (broker.isPresent()) {
            broker.get().close();
        }
    }

    static Path scratch(String name) throws IOException {
        return Files.createTempDirectory("refinery-" + name + "-");
    }

    void print(String title) {
        System.out.println("== " + title);
        report.forEach(line -> System.out.println("   " + line));
    }
}
