package io.refinery.ops.reliability;

import io.refinery.warehouse.embedded.StandaloneWarehouse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The warehouse server disappears for a while (kill -9, then restarted on the same data and port) and
 * the MQTT broker restarts, while all three sources keep producing: the routes pause, retry and
 * resume by themselves, and nothing is lost or doubled. Server mode: the node reaches the warehouse
 * by URL, as replicas reach a ClickHouse server.
 *
 * <p>{@code OutageScenario [warehouse-down-seconds=60] [broker-down-seconds=10]}; {@code ops/reliability/run outage}.
 */
final class OutageScenario extends Scenario {

    private static final String PASSWORD = "reliability-" + Long.toHexString(System.nanoTime());

    private final Duration warehouseDown;
    private final Duration brokerDown;
    private final Path warehouseDir;
    private final int port;

    OutageScenario(Path work, Duration warehouseDown, Duration brokerDown, int files, int linesPerFile, int erpRows,
                   int messages) throws Exception {
        super(work, files, linesPerFile, erpRows, messages);
        this.warehouseDown = warehouseDown;
        this.brokerDown = brokerDown;
        this.warehouseDir = work.resolve("warehouse-server");
        this.port = OwnMosquitto.freePort();
        nodeProperties.put("refinery.warehouse.url", "http://127.0.0.1:" + port);
        nodeProperties.put("refinery.warehouse.user", "refinery");
        nodeProperties.put("refinery.warehouse.password", PASSWORD);
    }

    private ChildJvm startWarehouse() throws Exception {
        ChildJvm server = ChildJvm.start("warehouse", StandaloneWarehouse.class, Map.of(),
                Map.of("REFINERY_WAREHOUSE_PASSWORD", PASSWORD), warehouseDir.toString(), String.valueOf(port));
        server.awaitReady(Duration.ofMinutes(3));
        return server;
    }

    Map<String, Long> run() throws Exception {
        ChildJvm warehouse = startWarehouse();
        ChildJvm node = ChildJvm.start("node", IngestionNode.class, nodeProperties, Map.of());
        try {
            node.awaitReady(Duration.ofMinutes(5));
            List<Thread> producers = startProducers(3000, 20, 100, 300);
            node.awaitProgress(p -> p.getOrDefault("rel-file.landed", 0L) > 0 && p.getOrDefault("rel-erp.landed", 0L) > 0,
                    Duration.ofMinutes(2));

            long downAt = System.nanoTime();
            warehouse.kill();
            boolean sawDown = false;
            while (System.nanoTime() - downAt < warehouseDown.toNanos()) {
                sawDown |= node.reportsWarehouseDown();
                if (!node.alive()) {
                    throw new AssertionError("the ingestion process died while the warehouse was down:\n" + node.tail());
                }
                Thread.sleep(200);
            }
            warehouse = startWarehouse();
            long upAt = System.nanoTime();
            Map<String, Long> resumedAt = node.awaitProgress(p -> true, Duration.ofMinutes(1));
            long landedBefore = resumedAt.getOrDefault("rel-file.landed", 0L) + resumedAt.getOrDefault("rel-erp.landed", 0L);
            node.awaitProgress(p -> p.getOrDefault("rel-file.landed", 0L) + p.getOrDefault("rel-erp.landed", 0L) > landedBefore
                    || everythingCleaned().test(p), Duration.ofMinutes(3));
            double resumeSeconds = (System.nanoTime() - upAt) / 1e9;
            report.add("warehouse down %d s (kill -9, restarted on the same data): ingestion process stayed up, saw it down: %s, landing again %.1f s after it came back"
                    .formatted(warehouseDown.toSeconds(), sawDown, resumeSeconds));

            if (broker.isPresent()) {
                long before = node.latest().getOrDefault("iot.cleaned", 0L);
                broker.get().restart(brokerDown);
                long brokerUp = System.nanoTime();
                node.awaitProgress(p -> p.getOrDefault("iot.cleaned", 0L) > before + 200 || everythingCleaned().test(p),
                        Duration.ofMinutes(3));
                report.add("MQTT broker restarted (down %d s): readings flowing again %.1f s after it came back"
                        .formatted(brokerDown.toSeconds(), (System.nanoTime() - brokerUp) / 1e9));
            }
            for (Thread producer : producers) {
                producer.join(Duration.ofMinutes(10));
            }
            if (devices != null && devices.failure.get() != null) {
                throw new IllegalStateException("the MQTT publisher failed", devices.failure.get());
            }
            node.kill();
            nodeProperties.put("reliability.served-totals", "true");
            node = ChildJvm.start("node-verify", IngestionNode.class, nodeProperties, Map.of());
            node.awaitReady(Duration.ofMinutes(5));
            return verify(node, Duration.ofMinutes(5));
        } finally {
            node.kill();
            warehouse.kill();
            cleanUp();
        }
    }

    public static void main(String[] args) throws Exception {
        int warehouseSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int brokerSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        OutageScenario scenario = new OutageScenario(scratch("outage"), Duration.ofSeconds(warehouseSeconds),
                Duration.ofSeconds(brokerSeconds), 20, 10_000, 20_000, 30_000);
        try {
            scenario.run();
        } finally {
            scenario.print("warehouse unavailable and MQTT broker restart during ingestion");
        }
        System.exit(0);
    }
}
