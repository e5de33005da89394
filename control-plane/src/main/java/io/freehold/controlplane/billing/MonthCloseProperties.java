package io.freehold.controlplane.billing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Month close (docs/billing.md, "Month close").
 *
 * @param cron       when the clustered Quartz job looks for months to close (UTC); one replica runs each firing
 * @param closeAfter how long after a month ends its invoices are closed: late facts from hosts that were cut off at
 *                   the month's end land in the month itself instead of as adjustments on the next
 */
@ConfigurationProperties("freehold.billing.month-close")
record MonthCloseProperties(@DefaultValue("0 7 * * * ?") String cron, @DefaultValue("1h") Duration closeAfter) {
}
