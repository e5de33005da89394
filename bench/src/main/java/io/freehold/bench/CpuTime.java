package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time of a process and its live descendants from {@code /proc/<pid>/stat}, including what their exited and
 * reaped children used (PostgreSQL backends come and go under the postmaster). Linux only, as the benchmark is.
 */
final class CpuTime {

    /** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture the project runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuTime() {
    }

    /** CPU seconds used so far by {@code process} alone; 0 once it is gone. */
    static double secondsOf(ProcessHandle process) {
        return seconds(process.pid()).orElse(0.0);
    }

    /** CPU seconds used so far by {@code process} and its live descendants; 0 for processes gone meanwhile. */
    static double secondsOfTree(ProcessHandle process) {
        return secondsOf(process) + process.descendants().mapToDouble(CpuTime::secondsOf).sum();
    }

    private static Optional<Double> seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces; the fields after it are fixed: utime is field 14.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return Optional.of(ticks / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Resident memory of one process in bytes ({@code VmRSS}), or -1 when it is gone. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }
}
