package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The latest running-seconds counter per guest and host (V10). */
@Repository
class GuestCounterStore {

    private final JdbcClient jdbc;

    GuestCounterStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One statement for a whole heartbeat batch; an older reading never overwrites a newer one. A counter only grows
     * while its agent keeps its ledger, and readings come only from the host's current session, so a reading below
     * the stored one is a counter that restarted from 0: the stored seconds are added to the carried ones.
     */
    void record(List<GuestCounterReading> readings, Instant now) {
        if (readings.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into guest_counter (host_id, instance_id, running_seconds, power, reported_at)
                        select host, instance, seconds, power, :now from unnest(:hosts, :instances, :seconds, :powers)
                            as reading(host, instance, seconds, power)
                        on conflict (instance_id, host_id) do update
                           set running_seconds = excluded.running_seconds, power = excluded.power, reported_at = excluded.reported_at,
                               carried_seconds = guest_counter.carried_seconds
                                   + case when excluded.running_seconds < guest_counter.running_seconds
                                          then guest_counter.running_seconds else 0 end,
                               resets = guest_counter.resets
                                   + case when excluded.running_seconds < guest_counter.running_seconds then 1 else 0 end
                         where guest_counter.reported_at <= excluded.reported_at
                        """)
                .param("hosts", readings.stream().map(GuestCounterReading::hostId).toArray(String[]::new))
                .param("instances", readings.stream().map(GuestCounterReading::instanceId).toArray(String[]::new))
                .param("seconds", readings.stream().mapToLong(GuestCounterReading::runningSeconds).toArray())
                .param("powers", readings.stream().map(GuestCounterReading::power).toArray(String[]::new))
                .param("now", utc(now))
                .update();
    }
}
