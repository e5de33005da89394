package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a benchmark runs on, from {@code /proc}: what it is, and how busy it is as a whole, so that a figure
 * measured on a machine shared with other work says how much other work there was. Linux only, as the benchmarks are.
 */
final class Machine {

    /** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture the project runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Machine() {
    }

    /** Cores, CPU model, memory, kernel and Java, on one line. */
    static String describe() {
        return String.format("%d cores (%s), %s memory, %s %s, Java %s", Runtime.getRuntime().availableProcessors(), cpuModel(),
                memTotal(), System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * CPU seconds every process on the machine used so far, all cores together (the first line of /proc/stat without
     * idle and iowait, and without guest time, which user time already counts); NaN when it cannot be read.
     */
    static double busyCpuSeconds() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] fields = lines.findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[field]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String mib(double bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f MiB", bytes / (1 << 20));
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
    }

    private static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal").map(line -> mib(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024))
                .orElse("unknown");
    }

    private static Optional<String> procLine(String file, String prefix) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
