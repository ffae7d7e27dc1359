package io.refinery.ops.replica;

import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.WarehouseEndpoint;
import io.refinery.warehouse.embedded.StandaloneWarehouse;
import io.refinery.warehouse.jobs.AssetVersions;
import io.refinery.warehouse.jobs.JobRunFilter;
import io.refinery.warehouse.jobs.JobRunRow;
import io.refinery.warehouse.jobs.JobRunStore;
import io.refinery.warehouse.lease.Leases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-replica proof on one machine: a warehouse server in its own process
 * ({@link StandaloneWarehouse}) and two replica processes ({@link ReplicaMain}) sharing it. Every
 * scheduled probe fire runs once and never overlaps another, the file route has exactly one active
 * consumer (every dropped file lands once), and after kill -9 of the replica consuming the route the
 * other takes the route and the jobs over within the lease ttl (+ settle and one look).
 */
@SpringJUnitConfig(classes = WarehouseConfiguration.class)
class TwoReplicaProofTest {

    static final String PASSWORD = UUID.randomUUID().toString();
    static final String DATABASE = "proof_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final long TTL_MS = 8000;
    static final long SETTLE_MS = 2000;
    static Process server;
    static String url;
    static final List<Process> replicas = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("refinery-proof-warehouse");
        ProcessBuilder builder = new ProcessBuilder(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), StandaloneWarehouse.class.getName(), dir.toString(), "0"))
                .redirectErrorStream(true);
        builder.environment().put("REFINERY_WAREHOUSE_PASSWORD", PASSWORD);
        server = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                url = line.substring("READY ".length());
                break;
            }
        }
        if (url == null) {
            throw new IllegalStateException("the standalone warehouse did not start");
        }
        Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
        registry.add("refinery.warehouse.url", () -> url);
        registry.add("refinery.warehouse.user", () -> "refinery");
        registry.add("refinery.warehouse.password", () -> PASSWORD);
        registry.add("refinery.warehouse.database", () -> DATABASE);
    }

    @AfterAll
    static void stopAll() {
        replicas.forEach(Process::destroyForcibly);
        if (server != null) {
            server.destroy();
        }
    }

    static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    @Autowired
    JobRunStore history;
    @Autowired
    AssetVersions assets;
    @Autowired
    Leases leases;
    @Autowired
    WarehouseEndpoint endpoint;

    /** What one replica printed: route status samples and probe executions. */
    static final class Replica {
        final String name;
        final Process process;
        final Map<Long, String> status = new ConcurrentHashMap<>(); // sample time → routes
        final List<String[]> execs = new CopyOnWriteArrayList<>();
        volatile boolean ready;
        volatile String routes = "";

        Replica(String name, Process process) throws java.io.IOException {
            this.name = name;
            this.process = process;
            Path log = Files.createDirectories(Path.of("target", "two-replicas")).resolve(name + ".log");
            var writer = Files.newBufferedWriter(log);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream())); writer) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        writer.write(line);
                        writer.newLine();
                        writer.flush();
                        if (line.startsWith("READY ")) {
                            ready = true;
                        } else if (line.startsWith("STATUS ")) {
                            String[] p = line.split(" ");
                            routes = p[3].substring("routes=".length());
                            status.put(Long.parseLong(p[1]), routes);
                        } else if (line.startsWith("EXEC-")) {
                            execs.add(line.split(" "));
                        } else if (line.contains("ERROR") || line.contains("Exception")) {
                            System.out.println("[" + name + "] " + line);
                        }
                    }
                } catch (Exception ignored) {
                    // the process was killed
                }
            });
        }

        boolean consumes(String route) {
            return List.of(routes.split(",")).contains(route);
        }
    }

    Replica start(String name, Path inbox) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx384m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ReplicaMain.class.getName(),
                "--refinery.warehouse.user=refinery", "--refinery.warehouse.database=" + DATABASE,
                "--refinery.lease.ttl=" + TTL_MS + "ms", "--refinery.lease.settle=" + SETTLE_MS + "ms",
                "--refinery.lease.holder=" + name, "--refinery.orchestration.tick=250ms",
                "--refinery.replica.probe-schedule=*/3 * * * * *", "--refinery.replica.probe-work=1s",
                "--refinery.ingestion.allowed-roots=" + inbox.getParent(),
                "--refinery.ingestion.routes.proof-inbox.kind=file-drop",
                "--refinery.ingestion.routes.proof-inbox.entity=products",
                "--refinery.ingestion.routes.proof-inbox.options.inbox=" + inbox,
                "--refinery.ingestion.routes.proof-inbox.options.pollDelayMs=200",
                "--refinery.ingestion.routes.proof-inbox.options.readLockMinAgeMs=200",
                "--logging.level.root=WARN", "--logging.level.io.refinery=INFO"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REFINERY_WAREHOUSE_URL", url);
        builder.environment().put("REFINERY_WAREHOUSE_PASSWORD", PASSWORD);
        builder.environment().put("REFINERY_WAREHOUSE_PASSWORD", PASSWORD);
        Process process = builder.start();
        replicas.add(process);
        return new Replica(name, process);
    }

    @Test
    void everyScheduledRunHappensOnceEveryRouteHasOneConsumerAndAKilledLeaderIsReplaced() throws Exception {
        Path inbox = Files.createDirectories(Files.createTempDirectory("refinery-proof").resolve("inbox"));
        long begin = System.currentTimeMillis();
        Replica one = start("replica-1", inbox);
        Replica two = start("replica-2", inbox);
        // Start-up dominates on a loaded machine (two Spring contexts with Camel); the proof itself is ~40 s.
        waitFor("both replicas ready", () -> one.ready && two.ready, 600_000);
        long ready = System.currentTimeMillis();
        waitFor("one replica consumes the route", () -> one.consumes("proof-inbox") || two.consumes("proof-inbox"), 20_000);

        // Files dropped while both run: each is landed once (one consumer).
        for (int i = 0; i < 3; i++) {
            Files.writeString(inbox.resolve("products-" + i + ".csv"), "sku,name,category,unit\nP" + i + "-A,Part " + i + ",parts,EA\n");
        }
        waitFor("3 files landed", () -> assets.version(AssetVersions.RAW_BATCHES) >= 3, 60_000);
        Thread.sleep(7_000); // a few probe fires with both replicas competing

        Replica leader = one.consumes("proof-inbox") ? one : two;
        Replica survivor = leader == one ? two : one;
        leader.process.destroyForcibly(); // SIGKILL: no release, no goodbye
        long killedAt = System.currentTimeMillis();
        leader.process.waitFor();
        waitFor("the survivor takes the route", () -> survivor.consumes("proof-inbox"), 60_000);
        long routeTakeover = survivor.status.entrySet().stream().filter(e -> e.getKey() > killedAt
                && List.of(e.getValue().split(",")).contains("proof-inbox")).mapToLong(Map.Entry::getKey).min().orElseThrow()
                - killedAt;
        for (int i = 3; i < 5; i++) {
            Files.writeString(inbox.resolve("products-" + i + ".csv"), "sku,name,category,unit\nP" + i + "-A,Part " + i + ",parts,EA\n");
        }
        waitFor("5 files landed", () -> assets.version(AssetVersions.RAW_BATCHES) >= 5, 60_000);
        Thread.sleep(7_000); // the survivor runs the fires alone
        survivor.process.destroy(); // orderly: releases its leases
        survivor.process.waitFor();
        long end = System.currentTimeMillis();

        // The route: never two consumers at once (status samples of both, compared in time).
        assertThat(consumersOverlap(one, two)).as("times both consumed the route").isEmpty();
        assertThat(assets.version(AssetVersions.RAW_BATCHES)).as("each file landed once").isEqualTo(5);
        assertThat(routeTakeover).as("route takeover after kill -9").isLessThanOrEqualTo(TTL_MS + 2 * SETTLE_MS + TTL_MS / 3 + 10_000); // + slack for a loaded machine

        // The probe: each fire executed (completed) once, executions never overlap.
        List<String[]> all = new ArrayList<>(one.execs);
        all.addAll(two.execs);
        Map<String, Long> completedPerFire = all.stream().filter(e -> e[0].equals("EXEC-END"))
                .collect(Collectors.groupingBy(e -> e[2], Collectors.counting()));
        assertThat(completedPerFire).isNotEmpty();
        assertThat(completedPerFire.values()).as("completions per fire %s", completedPerFire).allMatch(n -> n == 1);
        List<long[]> intervals = new ArrayList<>();
        for (Replica r : List.of(one, two)) {
            Map<String, Long> starts = new java.util.HashMap<>();
            for (String[] e : r.execs) {
                if (e[0].equals("EXEC-START")) {
                    starts.put(e[2], Long.parseLong(e[3]));
                } else if (starts.containsKey(e[2])) {
                    intervals.add(new long[]{starts.remove(e[2]), Long.parseLong(e[3])});
                }
            }
            starts.values().forEach(s -> intervals.add(new long[]{s, r == leader ? killedAt : end})); // cut short
        }
        intervals.sort(Comparator.comparingLong(i -> i[0]));
        for (int i = 1; i < intervals.size(); i++) {
            assertThat(intervals.get(i)[0]).as("probe execution %d starts after the previous ends", i)
                    .isGreaterThanOrEqualTo(intervals.get(i - 1)[1]);
        }
        List<JobRunRow> runs = history.find(new JobRunFilter("probe", null, null, null, null, null, null), 0, 1000);
        Map<String, Long> succeededPerFire = runs.stream().filter(r -> r.status().equals("SUCCEEDED"))
                .collect(Collectors.groupingBy(JobRunRow::triggerKey, Collectors.counting()));
        assertThat(succeededPerFire.values()).allMatch(n -> n == 1);
        assertThat(succeededPerFire.keySet()).containsAll(completedPerFire.keySet());
        long firstAfterKill = all.stream().filter(e -> e[0].equals("EXEC-START") && Long.parseLong(e[3]) > killedAt)
                .mapToLong(e -> Long.parseLong(e[3])).min().orElse(-1);

        System.out.printf("two-replica proof: startup %d ms; %d probe fires completed once each (%s by replica), "
                        + "%d run rows; route consumer killed (kill -9) -> survivor consumed after %d ms; first probe run "
                        + "after the kill %d ms later; lease ttl %d ms, settle %d ms; total %d ms%n",
                ready - begin, completedPerFire.size(), runs.stream().filter(r -> r.status().equals("SUCCEEDED"))
                        .collect(Collectors.groupingBy(JobRunRow::replica, Collectors.counting())),
                runs.size(), routeTakeover, firstAfterKill < 0 ? -1 : firstAfterKill - killedAt, TTL_MS, SETTLE_MS,
                end - begin);
    }

    /** Sample times at which both replicas reported consuming the route (within 250 ms of each other). */
    static List<Long> consumersOverlap(Replica a, Replica b) {
        List<Long> overlaps = new ArrayList<>();
        for (Map.Entry<Long, String> sa : a.status.entrySet()) {
            if (!List.of(sa.getValue().split(",")).contains("proof-inbox")) {
                continue;
            }
            for (Map.Entry<Long, String> sb : b.status.entrySet()) {
                if (Math.abs(sb.getKey() - sa.getKey()) < 250 && List.of(sb.getValue().split(",")).contains("proof-inbox")) {
                    overlaps.add(sa.getKey());
                }
            }
        }
        return overlaps;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(String what, Condition condition, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
