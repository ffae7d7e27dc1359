package io.refinery.ops.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A separate JVM on this test's class path, killed with SIGKILL (no shutdown hooks, no flushing):
 * an {@link IngestionNode} or the warehouse server. Reads its {@code READY} and {@code PROGRESS k=v …} lines.
 */
final class ChildJvm {

    /** Every child started, so that a failing run still leaves no JVM behind. */
    private static final List<Process> STARTED = Collections.synchronizedList(new ArrayList<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Process process;
    private final AtomicReference<Map<String, Long>> progress = new AtomicReference<>(Map.of());
    private final AtomicReference<String> readyLine = new AtomicReference<>();
    private final AtomicBoolean warehouseDown = new AtomicBoolean();
    private final List<String> tail = Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name("read-" + name).start(this::read);
    }

    static ChildJvm start(String name, Class<?> main, Map<String, String> systemProperties, Map<String, String> env,
                          String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx1g");
        command.add("-XX:+UseSerialGC");
        command.add("-Duser.timezone=UTC");
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        STARTED.add(process);
        return new ChildJvm(name, process);
    }

    /** Every child's whole output, kept as a test artifact under the build directory's reliability-logs/. */
    private java.io.Writer logFile() {
        try {
            Path dir = Path.of(System.getProperty("reliability.logs", "target/reliability-logs"));
            Files.createDirectories(dir);
            return Files.newBufferedWriter(dir.resolve(name + "-" + process.pid() + ".log"));
        } catch (IOException e) {
            return java.io.Writer.nullWriter();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()));
             java.io.Writer log = logFile()) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                if (line.startsWith("READY")) {
                    readyLine.set(line);
                } else if (line.startsWith("PROGRESS")) {
                    warehouseDown.set(false);
                    progress.set(parse(line.substring("PROGRESS".length())));
                } else if (line.startsWith("WAREHOUSE-DOWN")) {
                    warehouseDown.set(true);
                } else {
                    tail.add(line);
                    if (tail.size() > 300) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }

    private static Map<String, Long> parse(String text) {
        Map<String, Long> p = new HashMap<>();
        for (String part : text.strip().split(" ")) {
            String[] kv = part.split("=");
            if (kv.length == 2) {
                p.put(kv[0], switch (kv[1]) {
                    case "true" -> 1L;
                    case "false" -> 0L;
                    default -> Long.parseLong(kv[1]);
                });
            }
        }
        return p;
    }

    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readyLine.get() == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start:\n" + tail());
            }
            Thread.sleep(50);
        }
        return readyLine.get();
    }

    Map<String, Long> awaitProgress(Predicate<Map<String, Long>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(progress.get())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + ": condition not reached; last progress " + progress.get()
                        + "\n" + tail());
            }
            Thread.sleep(50);
        }
        return progress.get();
    }

    Map<String, Long> latest() {
        return progress.get();
    }

    boolean reportsWarehouseDown() {
        return warehouseDown.get();
    }

    boolean alive() {
        return process.isAlive();
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail.subList(Math.max(0, tail.size() - 60), tail.size()));
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
