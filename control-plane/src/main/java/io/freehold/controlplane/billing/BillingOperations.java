package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What operators do to billing by hand: close an ended month now, issue credit notes. */
@Service
class BillingOperations {

    private final MonthClose monthClose;
    private final CreditNoteStore creditNotes;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    BillingOperations(MonthClose monthClose, CreditNoteStore creditNotes, TenantService tenants, AuditTrail audit, IdGenerator ids,
                      Clock clock) {
        this.monthClose = monthClose;
        this.creditNotes = creditNotes;
        this.tenants = tenants;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /** Runs month close for one ended month now; each tenant's close commits on its own, so this is not one transaction. */
    MonthCloseReport closeMonth(Caller caller, BillingRequests.MonthCloseRequest request) {
        caller.require(Capability.WRITE_OPS);
        YearMonth period = YearMonth.parse(request.period());
        if (!period.isBefore(BillingPeriod.of(clock.instant()).month())) {
            throw ApiProblem.invalid("period", "has not ended: only a month that is over can be closed");
        }
        return MonthCloseReport.of(period, monthClose.closeMonth(period));
    }

    @Transactional
    CreditNote issueCreditNote(Caller caller, String tenantId, BillingRequests.CreditNoteRequest request) {
        caller.require(Capability.WRITE_OPS);
        tenants.find(tenantId);
        BigDecimal amount = new BigDecimal(request.amount());
        if (amount.signum() <= 0) {
            throw ApiProblem.invalid("amount", "must be more than zero");
        }
        Instant now = clock.instant();
        CreditNote note = new CreditNote(ids.next(CreditNote.ID_PREFIX), tenantId, amount, request.reason(), now, caller.userId());
        creditNotes.insert(note);
        audit.succeeded(caller, tenantId, "credit-note.issue", note.id(), Map.of("amount", request.amount(), "reason", request.reason()));
        return note;
    }

    @Transactional(readOnly = true)
    List<CreditNote> creditNotes(Caller caller, String tenantId) {
        caller.require(Capability.READ_OPS);
        tenants.find(tenantId);
        return creditNotes.all(tenantId);
    }
}
