package io.refinery.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, printed above its figures. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux
        }
        long memGiB = 0;
        try {
            memGiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
        } catch (Exception ignored) {
            // not Linux
        }
        return "machine: %d cores (%s), %d GiB RAM, Java %s".formatted(Runtime.getRuntime().availableProcessors(), cpu,
                memGiB, System.getProperty("java.version"));
    }
}
