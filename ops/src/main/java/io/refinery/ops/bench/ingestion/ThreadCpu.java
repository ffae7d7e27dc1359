package io.refinery.ops.bench.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads from Linux's /proc (the embedded engine's threads are threads of this
 * JVM too), grouped by thread name without its numbers, so that a benchmark can say where its cores went
 * during a phase: the engine's query and merge threads, its HTTP endpoint, the route's own threads, GC.
 * Elsewhere than Linux it reports nothing.
 */
final class ThreadCpu {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux x86-64). */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Per thread id: name and CPU ticks so far, user and system. */
    private final Map<String, Map.Entry<String, long[]>> threads;

    private ThreadCpu(Map<String, Map.Entry<String, long[]>> threads) {
        this.threads = threads;
    }

    static ThreadCpu now() {
        Map<String, Map.Entry<String, long[]>> threads = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (Files.isDirectory(tasks)) {
            try (Stream<Path> ids = Files.list(tasks)) {
                ids.forEach(task -> read(task).ifPresent(t -> threads.put(task.getFileName().toString(), t)));
            } catch (IOException e) {
                // a thread list that cannot be read leaves the report empty
            }
        }
        return new ThreadCpu(threads);
    }

    /** CPU seconds another process has used so far (all its threads), or NaN when /proc does not tell. */
    static double processSeconds(long pid) {
        return read(Path.of("/proc/" + pid)).map(t -> (t.getValue()[0] + t.getValue()[1]) / TICKS_PER_SECOND)
                .orElse(Double.NaN);
    }

    private static java.util.Optional<Map.Entry<String, long[]>> read(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            // "tid (name) state ...": the name may hold spaces and parentheses, so split after the last ") "
            int close = stat.lastIndexOf(") ");
            String name = stat.substring(stat.indexOf('(') + 1, close);
            String[] fields = stat.substring(close + 2).split(" ");
            return java.util.Optional.of(Map.entry(name, new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12])}));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the thread ended meanwhile
        }
    }

    /** CPU seconds of all of this process's threads from {@code before} to this snapshot. */
    double secondsSince(ThreadCpu before) {
        return byGroupSince(before).values().stream().mapToDouble(v -> v[0] + v[1]).sum();
    }

    /** Per thread group (the name without its numbers): {user, system} CPU seconds from {@code before}. */
    private Map<String, double[]> byGroupSince(ThreadCpu before) {
        Map<String, double[]> byGroup = new TreeMap<>();
        threads.forEach((id, t) -> {
            Map.Entry<String, long[]> earlier = before.threads.get(id);
            double[] sum = byGroup.computeIfAbsent(t.getKey().replaceAll("[0-9]+", "#"), k -> new double[2]);
            for (int i = 0; i < 2; i++) {
                sum[i] += (t.getValue()[i] - (earlier == null ? 0 : earlier.getValue()[i])) / TICKS_PER_SECOND;
            }
        });
        return byGroup;
    }

    /**
     * CPU seconds per thread group from {@code before} to this snapshot, largest first, with the part spent in
     * the kernel (system calls, page faults); groups under 0.1 s left out.
     */
    List<String> since(ThreadCpu before, double wallSeconds) {
        Map<String, double[]> byGroup = byGroupSince(before);
        double total = byGroup.values().stream().mapToDouble(v -> v[0] + v[1]).sum();
        double system = byGroup.values().stream().mapToDouble(v -> v[1]).sum();
        Stream<String> header = Stream.of(String.format("  all threads: %.1f CPU s (%.1f s in the kernel) in %.1f s"
                + " = %.2f cores", total, system, wallSeconds, total / wallSeconds));
        return Stream.concat(header, byGroup.entrySet().stream()
                .filter(e -> e.getValue()[0] + e.getValue()[1] >= 0.1)
                .sorted((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                .map(e -> String.format("  %-20s %6.1f s (kernel %.1f s)", e.getKey(),
                        e.getValue()[0] + e.getValue()[1], e.getValue()[1]))).toList();
    }
}
