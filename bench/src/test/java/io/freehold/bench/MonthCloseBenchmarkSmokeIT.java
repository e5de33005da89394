package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The month close benchmark's smoke run, part of {@code mvn verify}: {@code --smoke} (20 tenants × 2 instances, the last
 * 7 days of last month), launched as scripts/bench-month-close.sh launches it. It checks that the run happened as the
 * full one would — PostgreSQL durable, every tenant's invoice FINAL under gapless numbers, the sample equal to the
 * independent re-rating, a second close writing nothing — never how fast.
 */
class MonthCloseBenchmarkSmokeIT {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTenantsMonthClosesOnceIntoAnExactGaplesslyNumberedInvoiceAtProductionDurability() throws Exception {
        Map<String, String> result = InsideControlPlaneJar.launch("io.freehold.bench.MonthCloseBenchmark", "--smoke");

        assertThat(result).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("verified", "true")
                .containsEntry("failed", "0").containsEntry("mismatches", "0").containsEntry("gapless", "true").containsEntry("secondClosed", "0");
        assertThat(result.get("closed")).as("invoices closed").isEqualTo(result.get("tenants")).isEqualTo(result.get("reclosedAlreadyFinal"));
        assertThat(Long.parseLong(result.get("checked"))).as("sampled invoices re-rated").isPositive();
        assertThat(Long.parseLong(result.get("hoursClosed"))).as("hours closed").isPositive();
    }
}
