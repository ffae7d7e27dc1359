package io.refinery.ops.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API load plus resource sampling against a running Refinery (the soak: {@code ops/reliability/run soak}).
 * Several clients keep reading what dashboards, Power BI and planners read, and SSE clients stay
 * connected, while the demo feed keeps ingesting; every 15 s the probe samples the live heap after
 * GC, threads, open file descriptors (sockets included) and warehouse connections from
 * {@code /actuator/metrics}. The verdict compares the first and last fifth of the run.
 *
 * <p>Usage: {@code SoakProbe <base-url> <admin-password> <minutes>}.
 */
public final class SoakProbe {

    private static final List<String> READS = List.of(
            "/api/v1/demand?sku=%s&grain=day",
            "/api/v1/demand?grain=week",
            "/api/v1/pipeline",
            "/api/v1/forecast-runs",
            "/api/v1/anomalies/lead-time?limit=50",
            "/api/v1/quarantine?limit=50",
            "/odata/v4/DemandDaily?$top=1000",
            "/odata/v4/Products?$top=100");

    private static final List<String> METRICS = List.of(
            "jvm.gc.live.data.size", "jvm.memory.used?tag=area:heap", "jvm.threads.live", "process.files.open",
            "jvm.classes.loaded");

    private SoakProbe() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + args[1]).getBytes(StandardCharsets.UTF_8));
        Duration length = Duration.ofMinutes(Long.parseLong(args[2]));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + length.toNanos();

        AtomicLong requests = new AtomicLong();
        AtomicLong sseConnections = new AtomicLong();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                int i = client;
                while (System.nanoTime() < end) {
                    String path = READS.get(i++ % READS.size()).formatted("SKU-" + String.format("%04d", 1 + i % 200));
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", auth).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() >= 500 || r.statusCode() == 401 || r.statusCode() == 403) {
                            errors.computeIfAbsent(r.statusCode() + " " + path.replaceAll("\\?.*", ""), k -> new AtomicLong())
                                    .incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                    }
                    requests.incrementAndGet();
                    sleep(40);
                }
            }));
        }
        // Live dashboards: SSE clients that reconnect every minute, as browsers that navigate do.
        for (int c = 0; c < 3; c++) {
            clients.add(Thread.ofPlatform().name("sse-" + c).start(() -> {
                while (System.nanoTime() < end) {
                    // The request timeout covers the headers only, and an event stream's body never ends:
                    // read for a minute, then close the stream, which ends the request.
                    try (java.io.InputStream events = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stream"))
                            .header("Authorization", auth).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofInputStream()).body()) {
                        long leave = Math.min(end, System.nanoTime() + Duration.ofMinutes(1).toNanos());
                        byte[] buffer = new byte[8192];
                        while (System.nanoTime() < leave && events.read(buffer) >= 0) {
                            // events are read and dropped, as a dashboard would render them
                        }
                        sseConnections.incrementAndGet();
                    } catch (Exception e) {
                        errors.computeIfAbsent("sse " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        sleep(1000);
                    }
                }
            }));
        }

        List<Map<String, Double>> samples = new ArrayList<>();
        long started = System.nanoTime();
        System.out.printf("%8s %14s %14s %8s %8s %10s%n", "minute", "live-heap-MB", "heap-used-MB", "threads", "fds", "requests");
        while (System.nanoTime() < end) {
            Map<String, Double> sample = new TreeMap<>();
            for (String metric : METRICS) {
                sample.put(metric, metric(http, base, auth, metric));
            }
            sample.put("t", (System.nanoTime() - started) / 60e9);
            samples.add(sample);
            System.out.printf("%8.1f %14.1f %14.1f %8.0f %8.0f %10d%n", sample.get("t"),
                    sample.get("jvm.gc.live.data.size") / 1e6, sample.get("jvm.memory.used?tag=area:heap") / 1e6,
                    sample.get("jvm.threads.live"), sample.get("process.files.open"), requests.get());
            sleep(15_000);
        }
        for (Thread t : clients) {
            t.join(Duration.ofMinutes(2));
        }

        int fifth = Math.max(1, samples.size() / 5);
        List<Map<String, Double>> first = samples.subList(0, fifth);
        List<Map<String, Double>> last = samples.subList(samples.size() - fifth, samples.size());
        System.out.println("== soak: " + length.toMinutes() + " min, " + requests.get() + " API requests, "
                + sseConnections.get() + " SSE connections of about a minute each, "
                + errors.values().stream().mapToLong(AtomicLong::get).sum() + " errors " + errors);
        for (String metric : List.of("jvm.gc.live.data.size", "jvm.threads.live", "process.files.open")) {
            System.out.printf("   %-24s first fifth %12.1f   last fifth %12.1f   change %+6.1f %%%n", metric,
                    avg(first, metric), avg(last, metric), 100 * (avg(last, metric) / avg(first, metric) - 1));
        }
    }

    private static double avg(List<Map<String, Double>> samples, String metric) {
        return samples.stream().mapToDouble(s -> s.get(metric)).average().orElse(Double.NaN);
    }

    private static final Pattern VALUE = Pattern.compile("\"statistic\":\"VALUE\",\"value\":([0-9.Ee+-]+)");

    private static double metric(HttpClient http, String base, String auth, String metric) {
        String[] parts = metric.split("\\?");
        String url = base + "/actuator/metrics/" + parts[0] + (parts.length > 1 ? "?" + parts[1] : "");
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = VALUE.matcher(body);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
