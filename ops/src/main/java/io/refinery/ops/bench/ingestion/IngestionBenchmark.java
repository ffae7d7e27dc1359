package io.refinery.ops.bench.ingestion;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.refinery.ingestion.BatchIngested;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingestion benchmark (not a test): a large sales CSV through the file-drop route into cleaned,
 * beside the engine's own {@code INSERT … SELECT FROM file()} of the same file in the same run; then
 * MQTT readings from a separate publisher process, with loss and publish → queryable latency
 * measured in the warehouse (cleaned_at − observed_at).
 *
 * <p>Args: --dir D --lines N --messages M --rate R --broker URL --publisher "java -cp … MqttBenchPublisher"
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestionConfiguration.class)
public class IngestionBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path dir = Path.of(a.getOrDefault("dir", "target-bench/ingestion")).toAbsolutePath();
        long lines = Long.parseLong(a.getOrDefault("lines", "5000000"));
        long messages = Long.parseLong(a.getOrDefault("messages", "600000"));
        long rate = Long.parseLong(a.getOrDefault("rate", "20000"));
        String batch = a.getOrDefault("batch", "100000");
        Files.createDirectories(dir);
        // A fresh warehouse per run: the databases of earlier runs stayed in the same data directory, and the
        // engine went on merging their parts during the next run (latencies grew run after run).
        org.springframework.util.FileSystemUtils.deleteRecursively(dir.resolve("warehouse"));
        String database = "bench_" + System.currentTimeMillis();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IngestionBenchmark.class)
                .web(WebApplicationType.NONE).properties(
                        "refinery.warehouse.data-dir=" + dir.resolve("warehouse"),
                        "refinery.warehouse.database=" + database,
                        "refinery.ingestion.allowed-roots=" + dir,
                        "refinery.ingestion.batch-size=" + batch,
                        "logging.level.root=WARN", "logging.level.io.refinery.ops=INFO").run();
        RouteAdmin admin = context.getBean(RouteAdmin.class);
        Ingestion ingestion = context.getBean(Ingestion.class);
        DataSource warehouse = context.getBean("warehouseDataSource", DataSource.class);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        List<String> summary = new ArrayList<>();
        // The measure is the file *into cleaned*: each block's lines are queryable in cleaned when its
        // BatchIngested event is published (after the typed insert, before the served refresh and the move to
        // done/), so the time the file's last line reached cleaned is the newest event of the route.
        FileIntoCleaned intoCleaned = new FileIntoCleaned("bench-file");
        context.addApplicationListener(intoCleaned);

        if (lines > 0) {
            Path csv = dir.resolve("sales-" + lines + ".csv");
            if (!Files.exists(csv)) {
                generate(csv, "L", lines);
            }
            summary.add(String.format("file: %,d lines, %,d MB", lines, Files.size(csv) >> 20));

            Path inbox = Files.createDirectories(dir.resolve("inbox"));
            admin.create(new RouteDefinition("bench-file", RouteKind.FILE_DROP, Entity.SALES_ORDER_LINES,
                    DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString(), "pollDelayMs", "100",
                    "batchSize", batch)), "bench");
            // The route runs before the file arrives, as in use: its start (a lease claim that waits out a
            // settle time, Camel's route start) is not part of moving a file into cleaned. The file appears
            // at once (a hard link), as an ERP's export renamed into the inbox does, so the clock runs from
            // its drop to its move to done/. The read lock is the route's default (the file must be a second
            // old, which a file written earlier is at once); with a minimum age of 0 Camel waits one check
            // interval (250 ms) to see the file unchanged.
            admin.start("bench-file", "bench");
            // Warm-up: a service that has run a while has its code compiled and its memory (the JVM's heap, the
            // engine's allocator) grown to the size of its blocks; a cold one spends seconds of a core on JIT
            // compilation and page faults during its first large file. A file of other lines, as large as the
            // measured ones (up to 5 M lines), goes first, and its time is reported on its own. With a tenth as
            // many lines, the first measured file's pair had the lowest ratio in ten of eleven runs (37-56 % of
            // the engine's insert beside it; the later pairs' median 65 %).
            long warmupLines = Math.min(lines, 5_000_000);
            if (warmupLines > 0) {
                Path warmupCsv = dir.resolve("warmup-" + warmupLines + ".csv");
                if (!Files.exists(warmupCsv)) {
                    generate(warmupCsv, "W", warmupLines);
                }
                summary.add(String.format("warm-up file (%,d other lines, cold JVM): %.1f s", warmupLines,
                        drop(inbox, warmupCsv)));
            }
            // The engine's own insert and the route's file take turns, as many times each (the route's files
            // have other line ids each time: a file dropped again would be recognised and land nothing). This
            // VM's speed drifts by a third within minutes; one after the other, each pair meets about the same
            // machine, so each pair's ratio is reported, and their median, beside the route's best against the
            // engine's best of all its runs. Each run starts when the process is at rest (awaitRest): the
            // engine has finished merging what the run before it wrote, and nothing else is still settling.
            int routeRuns = Integer.parseInt(a.getOrDefault("route-runs", "3"));
            List<Double> engineRuns = new ArrayList<>();
            List<String> engineCpu = new ArrayList<>();
            // First the engine's insert three times in a row, as before the pairs: back to back, its later runs
            // are its fastest (each after another insert, not after a route's file), the strictest yardstick.
            for (int run = 1; run <= 3; run++) {
                engineRuns.add(engineRunAtRest(warehouse, csv, "bench_engine_" + run, engineCpu));
            }
            List<Double> pairedEngineRuns = new ArrayList<>();
            List<RouteRun> runs = new ArrayList<>();
            for (int run = 1; run <= routeRuns; run++) {
                pairedEngineRuns.add(engineRunAtRest(warehouse, csv, "bench_baseline_" + run, engineCpu));
                engineRuns.add(pairedEngineRuns.getLast());
                Path file = csv;
                if (run > 1) {
                    file = dir.resolve("sales-" + lines + "-" + run + ".csv");
                    if (!Files.exists(file)) {
                        generate(file, String.valueOf((char) ('L' + run - 1)), lines);
                    }
                }
                awaitRest(warehouse);
                Map<String, double[]> queriesBefore = queryTimes(meters);
                ThreadCpu cpuBefore = ThreadCpu.now();
                intoCleaned.reset();
                long dropped = System.nanoTime();
                double seconds = drop(inbox, file);
                ThreadCpu cpuAfter = ThreadCpu.now();
                double cleanedSeconds = intoCleaned.records() == lines ? (intoCleaned.lastNanos() - dropped) / 1e9 : -1;
                runs.add(new RouteRun(seconds, cleanedSeconds, queryTimeDifference(queriesBefore, queryTimes(meters)),
                        cpuAfter.since(cpuBefore, seconds)));
                double engine = pairedEngineRuns.getLast();
                summary.add(String.format("pair %d: engine %.1f s; route: drop to done/ %.1f s (%.0f %%), drop to the last"
                        + " line queryable in cleaned %s", run, engine, seconds, 100 * engine / seconds,
                        cleanedSeconds < 0 ? "(not counted: " + intoCleaned.records() + " lines)"
                                : String.format("%.1f s (%.0f %%)", cleanedSeconds, 100 * engine / cleanedSeconds)));
            }
            double engineSeconds = engineRuns.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            summary.add(String.format("engine INSERT … SELECT FROM file(): best of %d %.1f s = %,.0f rows/s (runs, three in"
                            + " a row then one per pair: %s s; CPU of this process: %s s)", engineRuns.size(),
                    engineSeconds, lines / engineSeconds,
                    engineRuns.stream().map(x -> String.format("%.1f", x))
                            .collect(java.util.stream.Collectors.joining(", ")), String.join(", ", engineCpu)));
            RouteRun best = runs.stream().min(java.util.Comparator.comparingDouble(RouteRun::seconds)).orElseThrow();
            double bestCleaned = runs.stream().mapToDouble(RouteRun::cleanedSeconds).filter(x -> x > 0).min().orElse(-1);
            Reconciliation r = ingestion.reconcile().stream().filter(x -> x.routeId().equals("bench-file"))
                    .findFirst().orElseThrow();
            summary.add(String.format("file-drop route, drop to done/, best of %d (engine lane where it applies, else the"
                    + " record path; raw + contract + cleaned + served): %.1f s = %,.0f rows/s = %.0f %% of the engine's"
                    + " best; median of the pairs %.0f %%", routeRuns, best.seconds(), lines / best.seconds(),
                    100 * engineSeconds / best.seconds(), medianRatio(pairedEngineRuns, runs.stream().map(RouteRun::seconds).toList())));
            if (bestCleaned > 0) {
                summary.add(String.format("  drop to the last line queryable in cleaned (before the served refresh and"
                        + " the move to done/), best of %d: %.1f s = %,.0f rows/s = %.0f %% of the engine's best;"
                        + " median of the pairs %.0f %%", routeRuns, bestCleaned, lines / bestCleaned,
                        100 * engineSeconds / bestCleaned,
                        medianRatio(pairedEngineRuns, runs.stream().map(RouteRun::cleanedSeconds).toList())));
            }
            if (!a.getOrDefault("engine-ceiling", "true").equals("false")) {
                summary.addAll(engineCeiling(warehouse, csv, lines, engineSeconds));
                summary.add(BlockLaneCeiling.measure(warehouse, context.getBean(BulkInserter.class), csv, lines,
                        Integer.parseInt(a.getOrDefault("block-rows", "500000")), engineSeconds));
            }
            summary.add("reconciliation: " + r + " balanced=" + r.balanced());
            summary.add("the route's warehouse calls during its best run (wall time summed per operation; calls overlap):");
            summary.addAll(best.queries());
            summary.add("CPU of this process's threads (the engine's among them) during its best run:");
            summary.addAll(best.cpu());
            admin.stop("bench-file", "bench");
        }

        if (messages > 0 && a.containsKey("broker")) {
            String prefix = "bench" + System.currentTimeMillis();
            admin.create(new RouteDefinition("bench-mqtt", RouteKind.MQTT, Entity.IOT_READINGS,
                    DriftPolicy.ACCEPT_AND_FLAG, Map.of("brokerUrl", a.get("broker"), "topicPattern",
                    prefix + "/site/{location}/device/{device_id}/{metric}", "maxBatch", "20000", "maxDelayMs", a.getOrDefault("mqtt-max-delay-ms", "400"),
                    "maxPending", "100000", "clientId", "refinery-" + prefix)), "bench");
            admin.start("bench-mqtt", "bench");
            // Warm-up: a cold JVM needs about five seconds of JIT compilation before the route keeps up,
            // and builds a backlog meanwhile that takes some fifteen more to drain. The measured run starts
            // once the warm-up messages are all queryable; the warm-up's own latencies are reported too.
            // One publisher process for both phases: its own JIT warm-up is over before the measured run.
            long warmup = Long.parseLong(a.getOrDefault("warmup", String.valueOf(rate * 15)));
            List<String> command = new ArrayList<>(List.of(a.get("publisher").split(" ")));
            command.addAll(List.of(a.get("broker"), prefix, String.valueOf(messages), String.valueOf(rate), "bench-"));
            if (warmup > 0) {
                command.addAll(List.of(String.valueOf(warmup), "warm-"));
            }
            Process publisher = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new java.io.BufferedReader(new java.io.InputStreamReader(publisher.getInputStream(),
                    StandardCharsets.UTF_8));
            if (warmup > 0) {
                String warmed = lineStartingWith(output, "WARMED");
                awaitCount(warehouse, "SELECT count() FROM iot_readings WHERE device_id LIKE 'warm-%'", warmup);
                summary.add("warm-up publisher: " + warmed);
                summary.add("warm-up (cold JVM): " + latencies(warehouse, "warm-", warmup));
                publisher.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                publisher.getOutputStream().flush();
            }
            // CPU while publishing: whether the publisher, the broker or this process holds the two cores
            ThreadCpu cpuBefore = ThreadCpu.now();
            Map<String, double[]> queriesBefore = queryTimes(meters);
            long broker = Long.parseLong(a.getOrDefault("broker-pid", "-1"));
            double publisherBefore = ThreadCpu.processSeconds(publisher.pid());
            double brokerBefore = ThreadCpu.processSeconds(broker);
            long publishStart = System.nanoTime();
            String published = lineStartingWith(output, "PUBLISHED");
            double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
            ThreadCpu cpuAfter = ThreadCpu.now();
            Map<String, double[]> queriesAfter = queryTimes(meters);
            double publisherCores = (ThreadCpu.processSeconds(publisher.pid()) - publisherBefore) / publishSeconds;
            double brokerCores = (ThreadCpu.processSeconds(broker) - brokerBefore) / publishSeconds;
            publisher.waitFor();
            summary.add("publisher: " + published);
            awaitCount(warehouse, "SELECT count() FROM iot_readings WHERE device_id LIKE 'bench-%'", messages);
            summary.add(String.format("mqtt (warm): %,d published, ", messages) + latencies(warehouse, "bench-", messages));
            Reconciliation r = ingestion.reconcile().stream().filter(x -> x.routeId().equals("bench-mqtt"))
                    .findFirst().orElseThrow();
            summary.add("reconciliation: " + r + " balanced=" + r.balanced());
            summary.add(String.format("CPU while publishing: publisher %.2f cores, broker %s, this process (the"
                    + " engine's threads among them):", publisherCores,
                    broker < 0 ? "not measured" : String.format("%.2f cores", brokerCores)));
            summary.addAll(cpuAfter.since(cpuBefore, publishSeconds));
            summary.add("the route's warehouse calls while publishing (wall time summed per operation):");
            summary.addAll(queryTimeDifference(queriesBefore, queriesAfter));
            admin.stop("bench-mqtt", "bench");
        }
        System.out.println("==== ingestion benchmark ====");
        summary.forEach(System.out::println);
        context.close();
        System.exit(0);
    }

    /**
     * The ceiling of a lane that ran the whole record path inside the engine, measured on the same file:
     * the raw layer as the record path writes it (JSON payload in source order, SHA-256 hex per record,
     * ZSTD) and the contract's sure-valid predicate with typed values into a cleaned table, each as one
     * {@code INSERT … SELECT FROM file()}. Without dedup, quarantine or the batch hash chain, so a real
     * engine-side lane could only be slower than the sum.
     */
    private static List<String> engineCeiling(DataSource warehouse, Path csv, long lines, double baselineSeconds)
            throws Exception {
        String source = "file('" + csv + "', 'CSVWithNames', 'line_id String, sku String, location String,"
                + " quantity String, unit_price String, ordered_at String, channel String')";
        String json = "concat('{\"line_id\":\"', line_id, '\",\"sku\":\"', sku, '\",\"location\":\"', location,"
                + " '\",\"quantity\":\"', quantity, '\",\"unit_price\":\"', unit_price, '\",\"ordered_at\":\"',"
                + " ordered_at, '\",\"channel\":\"', channel, '\"}')";
        List<String> out = new ArrayList<>();
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.setEscapeProcessing(false); // the regular expressions' {m,n} are not JDBC escapes
            s.execute("CREATE TABLE bench_raw AS raw_records");
            s.execute("CREATE TABLE bench_cleaned AS sales_order_lines");
            long t0 = System.nanoTime();
            s.execute("INSERT INTO bench_raw (batch_id, record_no, source, route_id, entity, source_offset, received_at,"
                    + " payload, payload_hash) SELECT generateUUIDv4(), toUInt32(rowNumberInAllBlocks()), 'file', 'bench',"
                    + " 'sales-order-lines', concat('line ', toString(rowNumberInAllBlocks() + 2)), now64(3), p,"
                    + " lower(hex(SHA256(p))) FROM (SELECT " + json + " AS p FROM " + source + ")");
            double raw = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            s.execute(sureValidInsert("bench_cleaned", source, "generateUUIDv4()"));
            double cleaned = (System.nanoTime() - t1) / 1e9;
            long kept = count(warehouse, "SELECT count() FROM bench_cleaned");
            out.add(String.format("engine-only ceiling: raw layer %.1f s + sure-valid contract into cleaned %.1f s"
                            + " (%,d of %,d rows sure-valid) = %,.0f rows/s = %.0f %% of the engine's file() insert",
                    raw, cleaned, kept, lines, lines / (raw + cleaned), 100 * baselineSeconds / (raw + cleaned)));
        }
        return out;
    }

    /**
     * The contract's sure-valid rows of {@code source} (a table function reading sales CSV as strings)
     * into {@code table}, typed as the contract types them: strict forms only (printable ASCII codes,
     * plain decimals, ISO UTC date-times), ranges, dates round-tripped, allowed values. A lane would
     * hand every other row to the JVM's contract.
     */
    static String sureValidInsert(String table, String source, String batchId) {
        return typedInsert(table, source, batchId, true);
    }

    /**
     * As {@link #sureValidInsert}, with the sure-valid predicate or without it: the lane checks that form in the
     * JVM as it reads (its {@code SureValidRow}), so the engine only types the rows.
     */
    static String typedInsert(String table, String source, String batchId, boolean sureValidPredicate) {
        String code = "'^[!-~]([ -~]{0,62}[!-~])?$'";
        String decimal = "'^-?[0-9]{1,14}(\\\\.[0-9]{1,4})?$'";
        String sureValid = "match(line_id, " + code + ") AND match(sku, " + code + ") AND match(location, " + code + ")"
                + " AND match(quantity, " + decimal + ") AND (unit_price = '' OR match(unit_price, " + decimal + "))"
                + " AND match(ordered_at, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\\\.[0-9]{3})?)?Z$')"
                + " AND q >= 0 AND q <= 1000000000 AND (up IS NULL OR (up >= 0 AND up <= 1000000000))"
                + " AND t IS NOT NULL AND formatDateTime(t, '%Y-%m-%dT%H:%i', 'UTC') = substring(ordered_at, 1, 16)"
                + " AND toDate(t) >= '2000-01-01' AND toDate(t) <= today() + 2"
                + " AND ch IN ('store', 'web', 'b2b', 'marketplace', 'phone', 'edi')";
        return "INSERT INTO " + table + " (line_id, sku, location, quantity, unit_price, ordered_at, channel,"
                + " batch_id, record_no, version) SELECT line_id, upper(sku), upper(location), q, up, t, ch,"
                + " " + batchId + ", no, 1 FROM (SELECT *, toUInt32(rowNumberInAllBlocks()) AS no,"
                + " toDecimal64OrNull(quantity, 4) AS q, if(unit_price = '', NULL, toDecimal64OrNull(unit_price, 4)) AS up,"
                + " parseDateTime64BestEffortOrNull(ordered_at, 3, 'UTC') AS t,"
                + " lower(if(channel = '', 'store', channel)) AS ch FROM " + source + ")"
                + (sureValidPredicate ? " WHERE " + sureValid : "");
    }

    /** The publisher's next line that starts with {@code prefix}; its output so far when it ends without one. */
    private static String lineStartingWith(java.io.BufferedReader output, String prefix) throws java.io.IOException {
        List<String> seen = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
        throw new IllegalStateException("the publisher ended without a " + prefix + " line: " + String.join(" | ", seen));
    }

    /** Waits up to 120 s for {@code expected} rows. */
    private static void awaitCount(DataSource ds, String sql, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && count(ds, sql) < expected) {
            Thread.sleep(200);
        }
    }

    /** Loss and publish → queryable latency of the readings of the devices named {@code prefix…}. */
    private static String latencies(DataSource ds, String prefix, long published) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(), uniqExact(device_id),"
                     + " quantileExact(0.5)(dateDiff('millisecond', observed_at, cleaned_at)),"
                     + " quantileExact(0.99)(dateDiff('millisecond', observed_at, cleaned_at)),"
                     + " max(dateDiff('millisecond', observed_at, cleaned_at)),"
                     + " count() / (dateDiff('millisecond', min(observed_at), max(observed_at)) / 1000.0)"
                     + " FROM iot_readings WHERE device_id LIKE '" + prefix + "%'")) {
            rs.next();
            return String.format("%,d cleaned (%,d distinct devices, one reading each), %,d lost (not queryable 120 s"
                            + " after the publisher's end); publish→queryable p50 %d ms, p99 %d ms, max %d ms;"
                            + " sustained %,.0f msg/s", rs.getLong(1), rs.getLong(2), published - rs.getLong(2),
                    rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6)) + windows(s, prefix);
        }
    }

    /** p99 and max latency per 10 s of publishing: a steady backlog and a few stalls look alike in one p99. */
    private static String windows(Statement s, String prefix) throws Exception {
        StringBuilder out = new StringBuilder("\n  per 10 s (p99/max ms):");
        try (ResultSet rs = s.executeQuery("SELECT intDiv(dateDiff('millisecond', (SELECT min(observed_at) FROM"
                + " iot_readings WHERE device_id LIKE '" + prefix + "%'), observed_at), 10000) AS w,"
                + " quantileExact(0.99)(dateDiff('millisecond', observed_at, cleaned_at)),"
                + " max(dateDiff('millisecond', observed_at, cleaned_at))"
                + " FROM iot_readings WHERE device_id LIKE '" + prefix + "%' GROUP BY w ORDER BY w")) {
            while (rs.next()) {
                out.append(String.format(" %d/%d", rs.getLong(2), rs.getLong(3)));
            }
        }
        return out.toString();
    }

    /** Per warehouse operation (QueryMetrics' timer, all outcomes): {calls, seconds}. */
    private static Map<String, double[]> queryTimes(MeterRegistry meters) {
        Map<String, double[]> times = new java.util.TreeMap<>();
        for (Timer t : meters.find("refinery.warehouse.query").timers()) {
            double[] sum = times.computeIfAbsent(t.getId().getTag("operation"), k -> new double[2]);
            sum[0] += t.count();
            sum[1] += t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9;
        }
        return times;
    }

    /** The operations that ran between two snapshots, most time first. */
    private static List<String> queryTimeDifference(Map<String, double[]> before, Map<String, double[]> after) {
        return after.entrySet().stream()
                .map(e -> {
                    double[] b = before.getOrDefault(e.getKey(), new double[2]);
                    return Map.entry(e.getKey(), new double[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .filter(e -> e.getValue()[0] > 0)
                .sorted((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]))
                .map(e -> String.format("  %-45s %6.0f calls %7.2f s", e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    /** One file through the route: seconds to done/ and into cleaned (-1: not counted), and where the time went. */
    private record RouteRun(double seconds, double cleanedSeconds, List<String> queries, List<String> cpu) {
    }

    /**
     * The engine's own insert of {@code csv} into a new {@code table}, started when the process is at rest
     * ({@link #awaitRest}): its seconds, its CPU appended to {@code cpu}.
     */
    private static double engineRunAtRest(DataSource warehouse, Path csv, String table, List<String> cpu)
            throws Exception {
        awaitRest(warehouse);
        ThreadCpu before = ThreadCpu.now();
        double seconds = engineInsert(warehouse, csv, table);
        cpu.add(String.format("%.1f", ThreadCpu.now().secondsSince(before)));
        return seconds;
    }

    /**
     * Waits until the process is at rest: no merge running, the heap collected, and then (up to half a minute)
     * until its threads use less than a fifth of a core over two quarter-seconds in a row. A run that starts
     * while the one before it still settles (the collector, the engine's allocator returning memory, the last
     * merge's cleanup) shares the cores with it: the engine's insert right after a route file used 30-70 % more
     * CPU than right after its own insert.
     */
    private static void awaitRest(DataSource warehouse) throws Exception {
        awaitNoMerges(warehouse);
        System.gc();
        long pid = ProcessHandle.current().pid();
        long deadline = System.nanoTime() + 30_000_000_000L;
        int quiet = 0;
        double before = ThreadCpu.processSeconds(pid);
        while (quiet < 2 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            double now = ThreadCpu.processSeconds(pid);
            quiet = now - before < 0.05 ? quiet + 1 : 0;
            before = now;
        }
    }

    /** Waits (up to two minutes) until the engine runs no merge. */
    private static void awaitNoMerges(DataSource warehouse) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (count(warehouse, "SELECT count() FROM system.merges") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** The median of engine / route over pairs run one after the other, in per cent (pairs not counted left out). */
    private static double medianRatio(List<Double> engine, List<Double> route) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < engine.size(); i++) {
            if (route.get(i) > 0) {
                ratios.add(100 * engine.get(i) / route.get(i));
            }
        }
        ratios.sort(null);
        int n = ratios.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    }

    /** Lines of one route's batches that reached cleaned or quarantine, and when the newest did. */
    private static final class FileIntoCleaned implements ApplicationListener<PayloadApplicationEvent<?>> {
        private final String routeId;
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong lastNanos = new AtomicLong();

        FileIntoCleaned(String routeId) {
            this.routeId = routeId;
        }

        @Override
        public void onApplicationEvent(PayloadApplicationEvent<?> event) {
            if (event.getPayload() instanceof BatchIngested b && b.routeId().equals(routeId) && !b.failed()) {
                records.addAndGet(b.cleaned() + b.quarantined());
                lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }

        void reset() {
            records.set(0);
            lastNanos.set(0);
        }

        long records() {
            return records.get();
        }

        long lastNanos() {
            return lastNanos.get();
        }
    }

    /** Drops the file into the inbox (a hard link: it appears whole at once); seconds until it leaves for done/. */
    private static double drop(Path inbox, Path csv) throws Exception {
        Path dropped = inbox.resolve(csv.getFileName());
        long t0 = System.nanoTime();
        Files.createLink(dropped, csv);
        while (Files.exists(dropped)) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The engine's own insert of the file into a table like cleaned (typed as the contract types it); seconds. */
    private static double engineInsert(DataSource warehouse, Path csv, String table) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " AS sales_order_lines");
            s.execute("INSERT INTO " + table + " (line_id, sku, location, quantity, unit_price, ordered_at, channel,"
                    + " batch_id, record_no, version) SELECT line_id, upper(trim(sku)), upper(trim(location)),"
                    + " toDecimal64(quantity, 4), toDecimal64OrNull(unit_price, 4),"
                    + " parseDateTime64BestEffort(ordered_at, 3, 'UTC'), lower(channel), generateUUIDv4(),"
                    + " toUInt32(rowNumberInAllBlocks()), 1 FROM file('" + csv + "', 'CSVWithNames',"
                    + " 'line_id String, sku String, location String, quantity String, unit_price String,"
                    + " ordered_at String, channel String')");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
        return seconds;
    }

    private static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void generate(Path csv, String idPrefix, long lines) throws Exception {
        Path part = csv.resolveSibling(csv.getFileName() + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(part)) {
            out.write("line_id,sku,location,quantity,unit_price,ordered_at,channel\n");
            String[] channels = {"store", "web", "b2b"};
            StringBuilder b = new StringBuilder(128);
            for (long i = 0; i < lines; i++) {
                b.setLength(0);
                b.append(idPrefix).append(i).append(",sku-").append(i % 5000).append(",s").append(i % 50).append(',')
                        .append(1 + i % 7).append(',').append(i % 13).append(".99,2025-")
                        .append(String.format("%02d-%02dT%02d:%02d:00Z", 1 + i % 12, 1 + i % 28, i % 24, i % 60))
                        .append(',').append(channels[(int) (i % 3)]).append('\n');
                out.write(b.toString());
            }
        }
        Files.move(part, csv, StandardCopyOption.ATOMIC_MOVE);
    }
}
