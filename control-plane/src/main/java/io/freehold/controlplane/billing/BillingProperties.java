package io.freehold.controlplane.billing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Billing's background work (docs/billing.md).
 *
 * @param budgets    the clustered Quartz job that records the budget thresholds tenants' months have reached
 * @param monthClose the clustered Quartz job that closes ended months into final invoices
 */
@ConfigurationProperties("freehold.billing")
record BillingProperties(@DefaultValue Budgets budgets, @DefaultValue MonthCloseSchedule monthClose) {

    /** @param cron when the budget watch runs (Quartz cron, UTC); one replica of the cluster runs each firing */
    record Budgets(@DefaultValue("0 */5 * * * ?") String cron) {
    }

    /**
     * @param cron       when month close looks for months to close (Quartz cron, UTC); one replica runs each firing
     * @param closeAfter how long after a month ends its invoices are closed: late facts from hosts that were cut off
     *                   at the month's end land in the month itself instead of as adjustments on the next
     */
    record MonthCloseSchedule(@DefaultValue("0 7 * * * ?") String cron, @DefaultValue("1h") Duration closeAfter) {
    }
}
