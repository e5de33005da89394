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
    /** utime, stime, cutime, cstime (fields 14 to 17 of /proc/pid/stat), counted from the field after the command name. */
    private static final int[] ALL_FIELDS = {11, 12, 13, 14};
    /** cutime, cstime: what reaped children used. */
    private static final int[] CHILDREN_FIELDS = {13, 14};

    private CpuTime() {
    }

    /** CPU seconds used so far by {@code process} alone; 0 once it is gone. */
    static double secondsOf(ProcessHandle process) {
        return seconds(process.pid(), ALL_FIELDS).orElse(0.0);
    }

    /**
     * CPU seconds used so far by the children of {@code process} that exited and were reaped (such as the qemu-img runs
     * of an agent); already part of {@link #secondsOf}. 0 once it is gone.
     */
    static double reapedChildrenSecondsOf(ProcessHandle process) {
        return seconds(process.pid(), CHILDREN_FIELDS).orElse(0.0);
    }

    /** CPU seconds used so far by {@code process} and its live descendants; 0 for processes gone meanwhile. */
    static double secondsOfTree(ProcessHandle process) {
        return secondsOf(process) + process.descendants().mapToDouble(CpuTime::secondsOf).sum();
    }

    private static Optional<Double> seconds(long pid, int[] timeFields) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces; the fields after it are fixed: utime is field 14.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int field : timeFields) {
                ticks += Long.parseLong(fields[field]);
            }
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
