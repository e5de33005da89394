package io.freehold.controlplane.billing;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;

/**
 * Invoices as the API serves them: a tenant reads its own at {@code /invoices}, operators any tenant's at
 * {@code /ops/tenants/{tenantId}/invoices}. An invoice is named by its month ({@code 2026-11}); the current month
 * always has one (its draft, perhaps empty), an earlier month has one when it had charges.
 */
@Service
class Invoices {

    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-[0-9]{2}");

    private final Invoicing invoicing;
    private final TenantService tenants;
    private final Clock clock;

    Invoices(Invoicing invoicing, TenantService tenants, Clock clock) {
        this.invoicing = invoicing;
        this.tenants = tenants;
        this.clock = clock;
    }

    List<Invoice> own(Caller caller) {
        return list(ownTenant(caller));
    }

    Invoice own(Caller caller, String month) {
        return get(ownTenant(caller), month);
    }

    List<Invoice> ofTenant(Caller caller, String tenantId) {
        caller.require(Capability.READ_OPS);
        tenants.find(tenantId);
        return list(tenantId);
    }

    Invoice ofTenant(Caller caller, String tenantId, String month) {
        caller.require(Capability.READ_OPS);
        tenants.find(tenantId);
        return get(tenantId, month);
    }

    private static String ownTenant(Caller caller) {
        return caller.ownTenant(Capability.READ_TENANT, "read a tenant's invoices at /api/v1/ops/tenants/{tenantId}/invoices");
    }

    /** Final invoices and the drafts of the months not closed yet (the current one first), newest first, without lines. */
    private List<Invoice> list(String tenantId) {
        Instant now = clock.instant();
        BillingPeriod current = BillingPeriod.of(now);
        SortedSet<YearMonth> drafts = new TreeSet<>(invoicing.unclosedBefore(current.start(), tenantId).getOrDefault(tenantId, new TreeSet<>()));
        drafts.add(current.month());
        List<Invoice> invoices = new ArrayList<>();
        for (YearMonth month : drafts) {
            if (!invoicing.isFinal(tenantId, month)) {
                invoices.add(withoutLines(priced(() -> invoicing.draft(tenantId, new BillingPeriod(month), now))));
            }
        }
        invoices.addAll(invoicing.finals(tenantId));
        invoices.sort((a, b) -> b.period().compareTo(a.period()));
        return invoices;
    }

    private Invoice get(String tenantId, String month) {
        Instant now = clock.instant();
        YearMonth period = month(month);
        BillingPeriod current = BillingPeriod.of(now);
        if (period.isAfter(current.month())) {
            throw ApiProblem.notFound("invoice", month);
        }
        if (invoicing.isFinal(tenantId, period) || period.equals(current.month())) {
            return priced(() -> invoicing.invoice(tenantId, period, now));
        }
        Map<String, SortedSet<YearMonth>> unclosed = invoicing.unclosedBefore(current.start(), tenantId);
        if (!unclosed.getOrDefault(tenantId, new TreeSet<>()).contains(period)) {
            throw ApiProblem.notFound("invoice", month);
        }
        return priced(() -> invoicing.invoice(tenantId, period, now));
    }

    private static Invoice priced(Supplier<Invoice> rating) {
        try {
            return rating.get();
        } catch (Invoicing.NoPriceList e) {
            throw ApiProblem.conflict("no price list is in force for the tenant yet, so its usage cannot be priced; an operator assigns one");
        }
    }

    private static Invoice withoutLines(Invoice invoice) {
        return new Invoice(invoice.tenantId(), invoice.period(), invoice.status(), invoice.number(), invoice.currency(), invoice.priceListId(),
                invoice.discountPercent(), invoice.billingPeriodStart(), invoice.billingPeriodEnd(), List.of(), invoice.subtotal(),
                invoice.tax(), invoice.total(), invoice.computedAt(), invoice.finalizedAt());
    }

    /** A month in a path: {@code 2026-11}; anything else names no invoice. */
    private static YearMonth month(String month) {
        try {
            if (MONTH.matcher(month).matches()) {
                return YearMonth.parse(month);
            }
        } catch (DateTimeParseException e) {
            // 2026-13 and the like name no month either.
        }
        throw ApiProblem.notFound("invoice", month);
    }
}
