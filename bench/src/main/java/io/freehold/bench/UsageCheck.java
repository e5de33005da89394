package io.freehold.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.metering.decision.HourlyUsage;
import io.freehold.controlplane.metering.decision.Meter;
import io.freehold.controlplane.metering.decision.MeteredFact;
import io.freehold.controlplane.metering.decision.UsageIntegrator;
import io.freehold.controlplane.metering.decision.UsageInterval;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The usage benchmark's check on a sample of instances: the stored hours before the log's end, summed per meter,
 * equal the pure integrator's totals over the same log and the generator's own arithmetic. Also times the pure
 * integration and hourly cut alone over the sample, the Java share of a recompute without any database.
 */
final class UsageCheck {

    private UsageCheck() {
    }

    /** @param mismatches sampled instances whose three figures differ somewhere */
    record Outcome(int checked, int mismatches) {
    }

    static Outcome sample(JdbcClient jdbc, SyntheticUsageLog log, Instant end, int samples, PrintStream out) {
        int step = Math.max(1, log.instanceCount() / samples);
        List<Integer> sampled = new ArrayList<>();
        for (int i = 0; i < log.instanceCount(); i += step) {
            sampled.add(i);
        }
        Map<Integer, List<MeteredFact>> facts = new HashMap<>();
        for (int i : sampled) {
            facts.put(i, facts(jdbc, log.instanceId(i)));
        }
        int mismatches = 0;
        for (int i : sampled) {
            long[] stored = stored(jdbc, log.instanceId(i), end);
            long[] integrated = totals(UsageIntegrator.integrate(facts.get(i), end));
            SyntheticUsageLog.Expected e = log.expected(i);
            long[] generated = {e.runningSeconds(), e.vcpuSeconds(), e.memoryMibSeconds(), e.diskGibSeconds()};
            if (!Arrays.equals(stored, integrated) || !Arrays.equals(stored, generated)) {
                mismatches++;
                out.printf("MISMATCH %s: stored %s, integrator %s, generator %s%n", log.instanceId(i), Arrays.toString(stored),
                        Arrays.toString(integrated), Arrays.toString(generated));
            }
        }
        long events = facts.values().stream().mapToLong(List::size).sum();
        double micros = integrationMicros(facts, end);
        out.printf("check: %d sampled instances, stored hours = pure integrator = generator for %d; pure integration and hourly cut alone: "
                + "%.0f µs per instance (%,.0f facts/s on one core)%n", sampled.size(), sampled.size() - mismatches, micros,
                events / (double) sampled.size() / micros * 1e6);
        return new Outcome(sampled.size(), mismatches);
    }

    /** instance.seconds (all flavors), vcpu.seconds, memory MiB·s, disk GiB·s. */
    private static long[] totals(List<UsageInterval> intervals) {
        long[] totals = new long[4];
        for (UsageInterval interval : intervals) {
            totals[interval.meter().ordinal()] += interval.quantity();
        }
        return totals;
    }

    private static long[] stored(JdbcClient jdbc, String instance, Instant end) {
        long[] totals = new long[4];
        jdbc.sql("select split_part(meter, ':', 1) as meter, sum(quantity) as total from usage_hourly where resource_id = :r and hour < :end group by 1")
                .param("r", instance).param("end", end.atOffset(ZoneOffset.UTC))
                .query(rs -> {
                    for (Meter meter : Meter.values()) {
                        if (meter.meterName().equals(rs.getString("meter"))) {
                            totals[meter.ordinal()] += rs.getLong("total");
                        }
                    }
                });
        return totals;
    }

    private static List<MeteredFact> facts(JdbcClient jdbc, String instance) {
        return jdbc.sql("""
                        select source, host_id, incarnation_id, report_seq, event, occurred_at, vcpus, memory_mib, root_disk_gib
                          from lifecycle_event where instance_id = :r
                        """)
                .param("r", instance)
                .query((rs, n) -> new MeteredFact("agent".equals(rs.getString("source"))
                        ? MeteredFact.Key.observed(rs.getString("host_id"), rs.getString("incarnation_id"), rs.getLong("report_seq"))
                        : MeteredFact.Key.deletedByApiKey(),
                        LifecycleEventKind.valueOf(rs.getString("event").toUpperCase(Locale.ROOT)),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        new Shape(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("root_disk_gib"))))
                .list();
    }

    /** Mean µs per instance of integrating and cutting into hours, after a warm-up round. */
    private static double integrationMicros(Map<Integer, List<MeteredFact>> facts, Instant end) {
        long sink = 0;
        long start = 0;
        for (int round = 0; round < 4; round++) {
            if (round == 2) {
                start = System.nanoTime();
            }
            for (List<MeteredFact> instanceFacts : facts.values()) {
                sink += HourlyUsage.byStoredMeter(UsageIntegrator.integrate(instanceFacts, end)).size();
            }
        }
        if (sink == 0) {
            throw new IllegalStateException("nothing integrated");
        }
        return (System.nanoTime() - start) / 1e3 / 2 / facts.size();
    }
}
