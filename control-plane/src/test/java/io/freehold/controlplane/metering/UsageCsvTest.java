package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** CSV quoting follows RFC 4180, which the API's ids never need, so it is pinned down here on made-up values. */
class UsageCsvTest {

    private static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant NEXT_DAY = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void aFieldWithACommaAQuoteOrALineEndIsQuotedAndItsQuotesDoubled() {
        UsageReport report = new UsageReport("t-1", DAY, NEXT_DAY, UsageGranularity.DAY, List.of(
                new UsageReport.Item("i-\"odd\",1", "instance.seconds", "2vcpu,4096mib", DAY, NEXT_DAY, new BigDecimal("0.0009765625"), "s"),
                new UsageReport.Item("i-line\r\nend", "vcpu.seconds", null, DAY, NEXT_DAY, BigDecimal.valueOf(3600), "vCPU·s")), List.of());

        assertThat(UsageCsv.of(report)).isEqualTo("tenant_id,resource_id,meter,flavor,period_start,period_end,quantity,unit\r\n"
                + "t-1,\"i-\"\"odd\"\",1\",instance.seconds,\"2vcpu,4096mib\",2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,0.0009765625,s\r\n"
                + "t-1,\"i-line\r\nend\",vcpu.seconds,,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,3600,vCPU·s\r\n");
        assertThat(UsageCsv.filename(report)).isEqualTo("usage-t-1-20260301T000000Z-20260302T000000Z.csv");
    }
}
