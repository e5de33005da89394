package io.freehold.bench;

import java.util.Arrays;

/** Durations a benchmark measured itself (join, Hello to Welcome, a tenant's month close), kept whole so percentiles are exact. */
final class LatencySamples {

    private long[] nanos = new long[1024];
    private int size;

    synchronized void add(long durationNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = durationNanos;
    }

    synchronized int count() {
        return size;
    }

    /** All durations added together, in milliseconds. */
    synchronized double totalMillis() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += nanos[i];
        }
        return total / 1e6;
    }

    /** The q-quantile in milliseconds (nearest rank), or NaN when nothing was measured. */
    synchronized double quantileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
