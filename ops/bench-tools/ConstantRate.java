import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A constant-rate HTTP load generator (wrk2 is not in Debian and wrk 4 has no rate option): sends
 * requests on a fixed schedule, whatever the server does, and measures each latency from the moment
 * the request was due, not from when it could be sent, so a stalled server is charged for every
 * request it delayed (no coordinated omission). Bounded in count and time; loopback targets only.
 *
 * <p>Usage: java ConstantRate.java URL RATE_PER_S SECONDS [HEADER:VALUE ...]
 * Prints one line: sent, ok, errors, achieved rate, p50, p90, p99, p99.9, max (ms). The first
 * {@code WARMUP_SECONDS} (environment, default 5) run at the same rate but are not measured: they warm
 * this generator's own JIT and connections, which otherwise show as the server's latency.
 */
public class ConstantRate {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String host = uri.getHost();
        if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]")) {
            throw new IllegalArgumentException("loopback targets only, not " + host);
        }
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 3; i < args.length; i++) {
            int colon = args[i].indexOf(':');
            builder.header(args[i].substring(0, colon).strip(), args[i].substring(colon + 1).strip());
        }
        HttpRequest request = builder.build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();

        int warmup = rate * Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "5"));
        int total = rate * seconds;
        AtomicLongArray latencies = new AtomicLongArray(total);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 200_000_000L;
        for (int i = -warmup; i < total; i++) {
            long due = start + i * intervalNanos + warmup * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            if (n < 0) {
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
                continue;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                latencies.set(n, System.nanoTime() - due);
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                } else {
                    bytes.addAndGet(response.body().length);
                }
                done.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (done.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double elapsed = (System.nanoTime() - start - warmup * intervalNanos) / 1e9;
        long[] sorted = new long[done.get()];
        int k = 0;
        for (int i = 0; i < total && k < sorted.length; i++) {
            long v = latencies.get(i);
            if (v != 0) {
                sorted[k++] = v;
            }
        }
        sorted = Arrays.copyOf(sorted, k);
        Arrays.sort(sorted);
        System.out.printf("sent=%d completed=%d errors=%d achieved_rps=%.1f p50=%.1fms p90=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms avg_bytes=%d%n",
                total, k, errors.get() + (total - k), k / elapsed, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                pct(sorted, 99.9), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                k == 0 ? 0 : bytes.get() / Math.max(1, k - errors.get()));
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
