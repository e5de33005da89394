package io.freehold.controlplane.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Billing's background work (docs/billing.md).
 *
 * @param budgets the clustered Quartz job that records the budget thresholds tenants' months have reached
 */
@ConfigurationProperties("freehold.billing")
record BillingProperties(@DefaultValue Budgets budgets) {

    /** @param cron when the budget watch runs (Quartz cron, UTC); one replica of the cluster runs each firing */
    record Budgets(@DefaultValue("0 */5 * * * ?") String cron) {
    }
}
