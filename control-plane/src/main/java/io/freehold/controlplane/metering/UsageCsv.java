package io.freehold.controlplane.metering;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.freehold.controlplane.platform.web.Csv;

/**
 * A usage report as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote or a line end): a
 * header line, then one line per item. Totals are left out, so that summing a column never counts anything twice.
 */
final class UsageCsv {

    static final String HEADER = "tenant_id,resource_id,meter,flavor,period_start,period_end,quantity,unit";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private UsageCsv() {
    }

    static String of(UsageReport report) {
        StringBuilder csv = new StringBuilder(HEADER).append(Csv.LINE_END);
        for (UsageReport.Item item : report.items()) {
            csv.append(Stream.of(report.tenantId(), item.resourceId(), item.meter(), item.flavor() == null ? "" : item.flavor(),
                            item.periodStart().toString(), item.periodEnd().toString(), item.quantity().toPlainString(), item.unit())
                    .map(Csv::field)
                    .collect(Collectors.joining(",")))
                    .append(Csv.LINE_END);
        }
        return csv.toString();
    }

    /** {@code usage-<tenant>-<from>-<to>.csv}, the times in ISO 8601's basic form, which has no colons. */
    static String filename(UsageReport report) {
        return "usage-" + report.tenantId() + "-" + FILE_TIME.format(report.from()) + "-" + FILE_TIME.format(report.to()) + ".csv";
    }
}
