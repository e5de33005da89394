package io.freehold.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A made-up lifecycle log for the usage and month close benchmarks, deterministic for a seed: N instances over D days
 * ending at {@code end}, about four facts per instance-day. Every instance is provisioned on the first day; each day it
 * runs twice (started, stopped, started, stopped at varying times), on some days (5 %) it is resized while running
 * instead of its second start (started, resized, stopped); a tenth are deleted on a random later day (the API's delete,
 * then the host's a few seconds later). Tenants own instances unevenly (a few large, many small) or, for month close, a
 * handful each; each host's agent numbers its reports in time order. Facts are written day by day in the order they
 * happened, as the log fills in production, so an instance's facts lie scattered over the table.
 *
 * <p>It also works out, independently of the control plane's integrator, what each instance used before {@code end}:
 * the seconds it ran, vCPU·s, MiB·s and disk GiB·s — the benchmark's check on the rollups.
 */
final class SyntheticUsageLog {

    /** (vCPUs, memory MiB) a guest may run with; its disk is chosen once. */
    private static final int[][] SHAPES = {{1, 1024}, {2, 4096}, {4, 8192}, {8, 16384}, {16, 65536}};
    private static final long[] DISKS_GIB = {10, 20, 40, 80, 160};
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssX").withZone(ZoneOffset.UTC);

    /** What one instance used before {@code end}, by this class's own arithmetic. */
    record Expected(long runningSeconds, long vcpuSeconds, long memoryMibSeconds, long diskGibSeconds) {
    }

    private final int days;
    private final long start;
    private final long end;
    private final Random random;
    private final String[] instances;
    private final String[] tenants;
    private final int[] tenantOf;
    private final String[] hosts;
    private final String[] incarnations;
    private final int[] hostOf;
    private final long[] hostSeq;
    private final int[] shape;
    private final long[] diskGib;
    private final int[] deleteDay;
    private final long[] provisionedAt;
    private final long[] lastAt;
    private final long[] deletedAt;
    private final long[] running;
    private final long[] vcpuSeconds;
    private final long[] memorySeconds;
    private long events;

    /** N instances owned unevenly by N / 100 tenants: a few own many, most own few. */
    SyntheticUsageLog(int instanceCount, int days, Instant end, long seed) {
        this(instanceCount, Math.max(1, instanceCount / 100), false, days, end, seed);
    }

    /** {@code tenants} tenants owning {@code instancesPerTenant} instances each. */
    static SyntheticUsageLog evenlyOwned(int tenants, int instancesPerTenant, int days, Instant end, long seed) {
        return new SyntheticUsageLog(tenants * instancesPerTenant, tenants, true, days, end, seed);
    }

    private SyntheticUsageLog(int instanceCount, int tenantCount, boolean evenlyOwned, int days, Instant end, long seed) {
        this.days = days;
        this.end = end.getEpochSecond();
        this.start = this.end - days * DAY;
        this.random = new Random(seed);
        int hostCount = Math.max(1, instanceCount / 40);
        tenants = ids("t", tenantCount);
        hosts = ids("h", hostCount);
        incarnations = ids("inc", hostCount);
        hostSeq = new long[hostCount];
        instances = ids("i", instanceCount);
        tenantOf = new int[instanceCount];
        hostOf = new int[instanceCount];
        shape = new int[instanceCount];
        diskGib = new long[instanceCount];
        deleteDay = new int[instanceCount];
        provisionedAt = new long[instanceCount];
        lastAt = new long[instanceCount];
        deletedAt = new long[instanceCount];
        running = new long[instanceCount];
        vcpuSeconds = new long[instanceCount];
        memorySeconds = new long[instanceCount];
        for (int i = 0; i < instanceCount; i++) {
            tenantOf[i] = evenlyOwned ? i % tenantCount : skewed(tenantCount);
            hostOf[i] = random.nextInt(hostCount);
            shape[i] = random.nextInt(SHAPES.length);
            diskGib[i] = DISKS_GIB[random.nextInt(DISKS_GIB.length)];
            deleteDay[i] = days > 1 && random.nextInt(10) == 0 ? 1 + random.nextInt(days - 1) : -1;
            deletedAt[i] = -1;
        }
    }

    /** A tenant drawn so that the first tenants own far more instances than the last (the square of a uniform draw). */
    private int skewed(int tenantCount) {
        double u = random.nextDouble();
        return (int) (tenantCount * u * u);
    }

    int instanceCount() {
        return instances.length;
    }

    int tenantCount() {
        return tenants.length;
    }

    List<String> tenantIds() {
        return List.of(tenants);
    }

    String instanceId(int instance) {
        return instances[instance];
    }

    long events() {
        return events;
    }

    /** Writes the log as COPY text rows of {@code lifecycle_event} ({@link #EVENT_COLUMNS}), day by day in time order. */
    void writeEvents(Consumer<String> rows) {
        for (int day = 0; day < days; day++) {
            List<Event> today = new ArrayList<>();
            long dayStart = start + day * DAY;
            for (int i = 0; i < instances.length; i++) {
                if (deleteDay[i] >= 0 && day > deleteDay[i]) {
                    continue;
                }
                live(i, day, dayStart, today);
            }
            today.sort(Comparator.comparingLong(Event::at).thenComparingInt(Event::order));
            for (Event event : today) {
                rows.accept(row(event));
                events++;
            }
        }
    }

    /** The columns {@link #writeEvents} writes, in order. */
    static final String EVENT_COLUMNS = "(instance_id, tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at, agent_time, "
            + "clock_offset_ms, generation, vcpus, memory_mib, root_disk_gib, recorded_at)";

    /** Writes each instance's summary as COPY text rows of {@code usage_resource}; call after {@link #writeEvents}. */
    void writeResources(Consumer<String> rows) {
        for (int i = 0; i < instances.length; i++) {
            rows.accept(String.join("\t", instances[i], tenants[tenantOf[i]], time(provisionedAt[i]), time(lastAt[i]),
                    deletedAt[i] < 0 ? "\\N" : time(deletedAt[i]), time(lastAt[i] + recordingDelay(lastAt[i]))) + "\n");
        }
    }

    /** What instance {@code i} used before the end, by this class's arithmetic; call after {@link #writeEvents}. */
    Expected expected(int i) {
        long gone = deletedAt[i] < 0 ? end : deletedAt[i];
        return new Expected(running[i], vcpuSeconds[i], memorySeconds[i], diskGib[i] * (gone - provisionedAt[i]));
    }

    private void live(int i, int day, long dayStart, List<Event> today) {
        if (day == deleteDay[i]) {
            long at = dayStart + random.nextInt((int) (6 * HOUR));
            deletedAt[i] = at;
            today.add(new Event(i, at, 0, "deleted", true, shape[i]));
            today.add(new Event(i, at + 3, 1, "deleted", false, shape[i]));
            lastAt[i] = at + 3;
            return;
        }
        if (day == 0) {
            provisionedAt[i] = dayStart + random.nextInt((int) (6 * HOUR));
            today.add(new Event(i, provisionedAt[i], 0, "provisioned", false, shape[i]));
        }
        long t1 = dayStart + 6 * HOUR + random.nextInt((int) (4 * HOUR));
        long t2 = t1 + HOUR + random.nextInt((int) (4 * HOUR));
        long t3 = t2 + 600 + random.nextInt((int) (2 * HOUR));
        long t4 = t3 + HOUR + random.nextInt((int) (5 * HOUR));
        today.add(new Event(i, t1, 0, "started", false, shape[i]));
        if (random.nextInt(20) == 0) {
            ran(i, t1, t2);
            shape[i] = (shape[i] + 1 + random.nextInt(SHAPES.length - 1)) % SHAPES.length;
            today.add(new Event(i, t2, 0, "resized", false, shape[i]));
            ran(i, t2, t4);
        } else {
            ran(i, t1, t2);
            today.add(new Event(i, t2, 0, "stopped", false, shape[i]));
            today.add(new Event(i, t3, 0, "started", false, shape[i]));
            ran(i, t3, t4);
        }
        today.add(new Event(i, t4, 0, "stopped", false, shape[i]));
        lastAt[i] = t4;
    }

    private void ran(int i, long from, long to) {
        long seconds = to - from;
        running[i] += seconds;
        vcpuSeconds[i] += SHAPES[shape[i]][0] * seconds;
        memorySeconds[i] += SHAPES[shape[i]][1] * seconds;
    }

    /**
     * One fact.
     *
     * @param order within one second, the API's delete before the host's
     * @param shape the shape in force once it happened, which it reports
     */
    private record Event(int instance, long at, int order, String event, boolean byApi, int shape) {
    }

    private String row(Event event) {
        int i = event.instance();
        int[] sizes = SHAPES[event.shape()];
        String recorded = time(event.at() + recordingDelay(event.at()));
        String common = String.join("\t", event.event(), time(event.at()));
        String sizesAndRecorded = String.join("\t", "1", Integer.toString(sizes[0]), Integer.toString(sizes[1]), Long.toString(diskGib[i]), recorded);
        if (event.byApi()) {
            return String.join("\t", instances[i], tenants[tenantOf[i]], "control-plane", "\\N", "\\N", "\\N", common, "\\N", "\\N",
                    sizesAndRecorded) + "\n";
        }
        int host = hostOf[i];
        return String.join("\t", instances[i], tenants[tenantOf[i]], "agent", hosts[host], incarnations[host], Long.toString(++hostSeq[host]),
                common, time(event.at()), "0", sizesAndRecorded) + "\n";
    }

    /** Facts reach the control plane a second or two after they happen. */
    private static long recordingDelay(long at) {
        return 1 + Math.floorMod(at, 2);
    }

    private static String time(long epochSecond) {
        return TIMESTAMP.format(Instant.ofEpochSecond(epochSecond));
    }

    /** Ids shaped like the control plane's: a prefix and 26 base-32 characters. */
    private String[] ids(String prefix, int count) {
        String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        String[] ids = new String[count];
        for (int n = 0; n < count; n++) {
            StringBuilder id = new StringBuilder(prefix).append('-');
            for (int c = 0; c < 26; c++) {
                id.append(alphabet.charAt(random.nextInt(32)));
            }
            ids[n] = id.toString();
        }
        return ids;
    }
}
