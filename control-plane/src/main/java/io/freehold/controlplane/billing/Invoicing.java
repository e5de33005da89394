package io.freehold.controlplane.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.billing.decision.InvoiceLine;
import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.billing.decision.RatedInvoice;
import io.freehold.controlplane.billing.decision.Rating;
import io.freehold.controlplane.billing.decision.UsageHour;
import io.freehold.controlplane.catalog.PriceLists;
import io.freehold.controlplane.compute.BilledInstances;
import io.freehold.controlplane.metering.UsageLedger;
import io.freehold.controlplane.metering.UsageLedger.LedgerHour;
import io.freehold.controlplane.metering.UsageRollups;
import io.freehold.controlplane.metering.decision.Meter;
import io.freehold.controlplane.platform.FaultPoints;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's invoices: the draft of a month, rated from its usage as it stands, and month close, which brings the
 * tenant's rollups up to date, closes the month's hours and stores the rated invoice FINAL under the next number —
 * all in one transaction, so a close killed midway leaves nothing and the next one does it all (docs/billing.md).
 */
@Service
public class Invoicing {

    private final UsageLedger ledger;
    private final UsageRollups rollups;
    private final PriceLists priceLists;
    private final BilledInstances instances;
    private final CreditNoteStore creditNotes;
    private final InvoiceStore invoices;

    Invoicing(UsageLedger ledger, UsageRollups rollups, PriceLists priceLists, BilledInstances instances, CreditNoteStore creditNotes,
              InvoiceStore invoices) {
        this.ledger = ledger;
        this.rollups = rollups;
        this.priceLists = priceLists;
        this.instances = instances;
        this.creditNotes = creditNotes;
        this.invoices = invoices;
    }

    /** A tenant's month could not be rated: it pays by no price list with a version. */
    public static final class NoPriceList extends RuntimeException {

        NoPriceList(String tenantId) {
            super("tenant " + tenantId + " pays by no price list with a version; an operator assigns one (or makes one the default)");
        }
    }

    /**
     * The tenant's invoice of the month: the final one, or else the draft as of {@code now}.
     *
     * @throws NoPriceList for a draft, when the tenant pays by no price list
     */
    @Transactional(readOnly = true)
    public Invoice invoice(String tenantId, YearMonth month, Instant now) {
        return invoices.find(tenantId, month).orElseGet(() -> draft(tenantId, new BillingPeriod(month), now));
    }

    /** The draft of the month as of {@code now}: rated from the month's hours, the late differences and the credit notes recorded so far. */
    @Transactional(readOnly = true)
    public Invoice draft(String tenantId, BillingPeriod period, Instant now) {
        PriceBook book = priceLists.bookFor(tenantId).orElseThrow(() -> new NoPriceList(tenantId));
        return view(tenantId, Invoice.Status.DRAFT, null, book, rate(tenantId, period, book), now);
    }

    /** How many tenants' invoices of the month are final. */
    @Transactional(readOnly = true)
    public int finalCount(YearMonth month) {
        return invoices.count(month);
    }

    /** Whether the tenant's invoice of the month is final. */
    @Transactional(readOnly = true)
    public boolean isFinal(String tenantId, YearMonth month) {
        return invoices.exists(tenantId, month);
    }

    /** The tenant's final invoices, newest first, without lines. */
    @Transactional(readOnly = true)
    public List<Invoice> finals(String tenantId) {
        return invoices.list(tenantId);
    }

    /**
     * The months before {@code before} with charges that may not be invoiced yet — open hours, adjustments or credit
     * notes recorded in them — by tenant, all tenants when {@code tenantId} is null. Final ones are filtered out by the caller.
     */
    @Transactional(readOnly = true)
    public Map<String, SortedSet<YearMonth>> unclosedBefore(Instant before, String tenantId) {
        Map<String, SortedSet<YearMonth>> months = new TreeMap<>();
        Stream.concat(ledger.unclosedBefore(before, tenantId).stream().map(found -> Map.entry(found.tenantId(), found.periodStart())),
                        creditNotes.issuedBefore(before, tenantId).stream().map(found -> Map.entry(found.tenantId(), found.periodStart())))
                .forEach(found -> months.computeIfAbsent(found.getKey(), t -> new TreeSet<>()).add(BillingPeriod.of(found.getValue()).month()));
        return months;
    }

    /** What closing one tenant's month did. */
    public record Closed(Invoice invoice, boolean alreadyFinal) {
    }

    /**
     * Closes the tenant's month as of {@code now}: idempotent — a month already final is returned as it is. Otherwise,
     * in a transaction of its own (whatever the caller's, so that an operator's request closing many tenants commits
     * each on its own and one tenant's failure undoes only its own close): the tenant's rollups are recomputed as of now (which holds their locks until the
     * commit, so no recompute runs midway), the month's hours closed, the invoice rated, numbered and stored.
     *
     * @throws IllegalArgumentException when the month has not ended at {@code now}
     * @throws NoPriceList              when the tenant pays by no price list
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Closed close(String tenantId, BillingPeriod period, Instant now) {
        if (now.isBefore(period.end())) {
            throw new IllegalArgumentException(period + " has not ended at " + now);
        }
        invoices.lockTenant(tenantId);
        Optional<Invoice> stored = invoices.find(tenantId, period.month());
        if (stored.isPresent()) {
            return new Closed(stored.get(), true);
        }
        PriceBook book = priceLists.bookFor(tenantId).orElseThrow(() -> new NoPriceList(tenantId));
        rollups.recomputeAll(ledger.resourcesOf(tenantId), now);
        ledger.close(tenantId, period.start(), period.end(), now);
        RatedInvoice rated = rate(tenantId, period, book);
        long number = invoices.nextNumber();
        Invoice invoice = view(tenantId, Invoice.Status.FINAL, InvoiceStore.formatted(number), book, rated, now);
        invoices.insert(invoice, number);
        FaultPoints.reach(FaultPoints.Point.DURING_MONTH_CLOSE);
        return new Closed(invoice, false);
    }

    private RatedInvoice rate(String tenantId, BillingPeriod period, PriceBook book) {
        List<UsageHour> usage = ledger.hours(tenantId, period.start(), period.end()).stream().map(Invoicing::usageHour).toList();
        List<UsageHour> adjustments = ledger.adjustmentsRecorded(tenantId, period.start(), period.end()).stream()
                .map(Invoicing::usageHour).toList();
        return Rating.rate(period, book, usage, adjustments,
                creditNotes.issued(tenantId, period.start(), period.end()).stream().map(CreditNote::credit).toList());
    }

    private Invoice view(String tenantId, Invoice.Status status, String number, PriceBook book, RatedInvoice rated, Instant now) {
        List<String> resources = rated.lines().stream().flatMap(line -> line.details().stream()).map(InvoiceLine.LineDetail::resourceId)
                .distinct().toList();
        Map<String, String> known = instances.names(resources);
        String priceListId = book.versions().get(0).priceListId();
        return Invoice.of(tenantId, status, number, priceListId, book.discountPercent(), rated, id -> known.getOrDefault(id, id), now,
                status == Invoice.Status.FINAL ? now : null);
    }

    /** A rollup's stored quantity in its meter's published unit, the flavor split off {@code instance.seconds:<shape>}. */
    private static UsageHour usageHour(LedgerHour hour) {
        String[] meterAndFlavor = hour.storedMeter().split(":", 2);
        Meter meter = Meter.named(meterAndFlavor[0])
                .orElseThrow(() -> new IllegalStateException("usage stored under an unknown meter " + hour.storedMeter()));
        return new UsageHour(hour.resourceId(), meter.meterName(), meterAndFlavor.length == 2 ? meterAndFlavor[1] : "", hour.hour(),
                meter.published(hour.quantity()), meter.publishedUnit());
    }
}
