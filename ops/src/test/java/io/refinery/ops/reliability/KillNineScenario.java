package io.refinery.ops.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 at random points while a file drop, an ERP table and an MQTT stream are being ingested;
 * after the last restart everything is in the warehouse exactly once.
 *
 * <p>{@code KillNineScenario [kills=20] [seed=random]}; {@code ops/reliability/run kill9} runs it.
 */
final class KillNineScenario extends Scenario {

    private final int kills;
    private final Random random;
    private final long seed;

    KillNineScenario(Path work, int kills, long seed, int files, int linesPerFile, int erpRows, int messages) throws Exception {
        super(work, files, linesPerFile, erpRows, messages);
        this.kills = kills;
        this.seed = seed;
        this.random = new Random(seed);
        nodeProperties.put("refinery.warehouse.data-dir", work.resolve("warehouse").toString());
    }

    Map<String, Long> run() throws Exception {
        long started = System.nanoTime();
        // The sources keep producing for about as long as the lives last (a life is ~6 s to start plus up
        // to 9 s of work), so that every kill, not only the first few, hits ingestion in flight.
        long spanMs = kills * 10_000L;
        List<Thread> producers = startProducers(spanMs / files.files, 50,
                Math.max(20, spanMs / Math.max(1, erp.rows / 50)),
                (int) Math.max(50, expectedMessages() * 1000 / spanMs));
        int killedWhileWorking = 0;
        for (int life = 0; life < kills; life++) {
            ChildJvm node = ChildJvm.start("node-" + life, IngestionNode.class, nodeProperties, Map.of());
            node.awaitReady(Duration.ofMinutes(5));
            // a random point of this life: right after start (recovery, waiting for the dead life's route
            // leases to expire) up to several seconds into consumption
            Thread.sleep(200 + random.nextInt(9000));
            Map<String, Long> before = node.latest();
            node.kill();
            if (!everythingCleaned().test(before)) {
                killedWhileWorking++;
            }
        }
        for (Thread producer : producers) {
            producer.join(Duration.ofMinutes(10));
        }
        if (devices != null && devices.failure.get() != null) {
            throw new IllegalStateException("the MQTT publisher failed", devices.failure.get());
        }
        nodeProperties.put("reliability.served-totals", "true");
        ChildJvm last = ChildJvm.start("node-final", IngestionNode.class, nodeProperties, Map.of());
        try {
            last.awaitReady(Duration.ofMinutes(5));
            Map<String, Long> result = verify(last, Duration.ofMinutes(5));
            report.addFirst("kill -9 × %d (seed %d), %d of them with work in flight; %.0f s in all".formatted(
                    kills, seed, killedWhileWorking, (System.nanoTime() - started) / 1e9));
            return result;
        } finally {
            last.kill();
            cleanUp();
        }
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
        KillNineScenario scenario = new KillNineScenario(scratch("kill9"), kills, seed, 12, 20_000, 30_000, 30_000);
        try {
            scenario.run();
        } finally {
            scenario.print("kill -9 during ingestion (files, ERP database, MQTT)");
        }
        System.exit(0);
    }
}
