package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.Test;

/**
 * The per-resource summary the sweep reads (V16) is kept with every new fact and always equals what grouping the
 * instance's log gives — in whatever order facts arrive, repeats included — and it rolls back with the fact.
 */
class UsageResourceSummaryTest extends MeteringTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);

    private final String instance = "i-" + UUID.randomUUID();

    @Test
    void theSummaryEqualsTheGroupedLogWhateverTheOrderOfFacts() {
        Instant t = Instant.parse("2026-05-01T08:00:00Z");
        observed(3, LifecycleEventKind.STOPPED, t.plusSeconds(7200), t.plusSeconds(7205));
        assertThat(summary()).isEqualTo(grouped());
        observed(1, LifecycleEventKind.PROVISIONED, t, t.plusSeconds(9000));
        observed(2, LifecycleEventKind.STARTED, t.plusSeconds(60), t.plusSeconds(8000));
        observed(2, LifecycleEventKind.STARTED, t.plusSeconds(60), t.plusSeconds(9999));
        assertThat(summary()).as("a repeat records nothing, not even its time").isEqualTo(grouped())
                .containsEntry("deleted_at", null);

        observed(5, LifecycleEventKind.DELETED, t.plusSeconds(9500), t.plusSeconds(9600));
        deletedByApi(t.plusSeconds(9400), t.plusSeconds(9401));

        assertThat(summary()).as("the earliest delete, the latest recording").isEqualTo(grouped());
        assertThat(summary().get("deleted_at")).isEqualTo(utc(t.plusSeconds(9400)));
        assertThat(summary().get("last_recorded_at")).isEqualTo(utc(t.plusSeconds(9600)));
        assertThat(summary().get("tenant_id")).isEqualTo(tenant);
    }

    @Test
    void aFactThatRollsBackLeavesNoSummary() {
        Instant t = Instant.parse("2026-05-01T08:00:00Z");
        agent.reportRolledBack(1, instance, tenant, LifecycleEventKind.STARTED, t, SMALL, t);

        assertThat(jdbc.sql("select count(*) from usage_resource where resource_id = :r").param("r", instance).query(Long.class).single())
                .isZero();
    }

    private void observed(long seq, LifecycleEventKind event, Instant at, Instant recordedAt) {
        agent.report(seq, instance, tenant, event, at, SMALL, recordedAt);
    }

    private void deletedByApi(Instant at, Instant recordedAt) {
        agent.deleteByApi(instance, tenant, at, SMALL, recordedAt);
    }

    private Map<String, Object> summary() {
        return jdbc.sql("select tenant_id, first_fact_at, last_fact_at, deleted_at, last_recorded_at from usage_resource where resource_id = :r")
                .param("r", instance).query().singleRow();
    }

    /** What V16 fills the summary with from an existing log. */
    private Map<String, Object> grouped() {
        return jdbc.sql("""
                        select (array_agg(tenant_id order by id))[1] as tenant_id, min(occurred_at) as first_fact_at,
                               max(occurred_at) as last_fact_at, min(occurred_at) filter (where event = 'deleted') as deleted_at,
                               max(recorded_at) as last_recorded_at
                          from lifecycle_event where instance_id = :r
                        """)
                .param("r", instance).query().singleRow();
    }

    private Object utc(Instant instant) {
        return jdbc.sql("select cast(:t as timestamptz)").param("t", instant.atOffset(ZoneOffset.UTC)).query().singleValue();
    }
}
