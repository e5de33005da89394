package io.freehold.controlplane.billing;

import java.net.URI;
import java.util.List;

import io.freehold.controlplane.platform.security.Caller;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operators' billing actions: closing a month now, and credit notes. */
@RestController
@RequestMapping("/api/v1/ops")
class BillingOpsController {

    private final BillingOperations operations;

    BillingOpsController(BillingOperations operations) {
        this.operations = operations;
    }

    @PostMapping("/billing/month-close")
    MonthCloseReport closeMonth(Caller caller, @Valid @RequestBody BillingRequests.MonthCloseRequest request) {
        return operations.closeMonth(caller, request);
    }

    @PostMapping("/tenants/{tenantId}/credit-notes")
    ResponseEntity<CreditNote> issueCreditNote(Caller caller, @PathVariable String tenantId,
                                               @Valid @RequestBody BillingRequests.CreditNoteRequest request) {
        CreditNote note = operations.issueCreditNote(caller, tenantId, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/tenants/" + tenantId + "/credit-notes")).body(note);
    }

    @GetMapping("/tenants/{tenantId}/credit-notes")
    List<CreditNote> creditNotes(Caller caller, @PathVariable String tenantId) {
        return operations.creditNotes(caller, tenantId);
    }
}
