package io.freehold.controlplane.billing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.freehold.controlplane.platform.security.Caller;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Invoices at {@code /invoices} (the caller's tenant) and {@code /ops/tenants/{tenantId}/invoices} (operators): JSON,
 * or the FOCUS CSV when the client accepts {@code text/csv} first, or the printable page for {@code text/html}.
 */
@RestController
class InvoiceController {

    private static final String OWN = "/api/v1/invoices";
    private static final String OPS = "/api/v1/ops/tenants/{tenantId}/invoices";
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private final Invoices invoices;

    InvoiceController(Invoices invoices) {
        this.invoices = invoices;
    }

    @GetMapping(OWN)
    List<Invoice> own(Caller caller) {
        return invoices.own(caller);
    }

    @GetMapping(OWN + "/{month}")
    Invoice own(Caller caller, @PathVariable String month) {
        return invoices.own(caller, month);
    }

    @GetMapping(path = OWN + "/{month}", produces = "text/csv")
    ResponseEntity<String> ownAsCsv(Caller caller, @PathVariable String month) {
        return csv(invoices.own(caller, month));
    }

    @GetMapping(path = OWN + "/{month}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> ownAsPage(Caller caller, @PathVariable String month) {
        return page(invoices.own(caller, month));
    }

    @GetMapping(OPS)
    List<Invoice> ofTenant(Caller caller, @PathVariable String tenantId) {
        return invoices.ofTenant(caller, tenantId);
    }

    @GetMapping(OPS + "/{month}")
    Invoice ofTenant(Caller caller, @PathVariable String tenantId, @PathVariable String month) {
        return invoices.ofTenant(caller, tenantId, month);
    }

    @GetMapping(path = OPS + "/{month}", produces = "text/csv")
    ResponseEntity<String> ofTenantAsCsv(Caller caller, @PathVariable String tenantId, @PathVariable String month) {
        return csv(invoices.ofTenant(caller, tenantId, month));
    }

    @GetMapping(path = OPS + "/{month}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> ofTenantAsPage(Caller caller, @PathVariable String tenantId, @PathVariable String month) {
        return page(invoices.ofTenant(caller, tenantId, month));
    }

    private static ResponseEntity<String> csv(Invoice invoice) {
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(InvoiceCsv.filename(invoice)).build().toString())
                .body(InvoiceCsv.of(invoice));
    }

    private static ResponseEntity<String> page(Invoice invoice) {
        return ResponseEntity.ok().contentType(HTML).body(InvoiceHtml.of(invoice));
    }
}
