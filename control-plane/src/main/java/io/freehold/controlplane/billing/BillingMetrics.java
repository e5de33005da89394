package io.freehold.controlplane.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What month close measures, at {@code /actuator/prometheus} (docs/billing.md, "Month close"). Moved only after the
 * close of a tenant's month committed or failed: {@link MonthClose} runs outside any transaction.
 */
@Component
class BillingMetrics {

    private final Counter closed;
    private final Counter failed;

    BillingMetrics(MeterRegistry registry) {
        closed = Counter.builder("freehold.billing.invoices.finalized")
                .description("Invoices month close made final")
                .register(registry);
        failed = Counter.builder("freehold.billing.month.close.failures")
                .description("Tenants' months month close could not close (retried at the next run); see the log for why")
                .register(registry);
    }

    void closed() {
        closed.increment();
    }

    void closeFailed() {
        failed.increment();
    }
}
