package io.freehold.controlplane.metering;

import java.nio.charset.StandardCharsets;

import io.freehold.controlplane.platform.security.Caller;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage at {@code /usage} (the caller's tenant) and {@code /ops/usage} (any tenant, for operators), as JSON or,
 * when the client accepts {@code text/csv} before JSON, as CSV. Errors stay {@code application/problem+json} either way.
 */
@RestController
class UsageController {

    private static final String OWN = "/api/v1/usage";
    private static final String OPS = "/api/v1/ops/usage";
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final UsageReports reports;

    UsageController(UsageReports reports) {
        this.reports = reports;
    }

    @GetMapping(OWN)
    UsageReport own(Caller caller, UsageParameters parameters) {
        return reports.own(caller, parameters);
    }

    @GetMapping(path = OWN, produces = "text/csv")
    ResponseEntity<String> ownAsCsv(Caller caller, UsageParameters parameters) {
        return csv(reports.own(caller, parameters));
    }

    @GetMapping(OPS)
    UsageReport ofTenant(Caller caller, @RequestParam(required = false) String tenantId, UsageParameters parameters) {
        return reports.ofTenant(caller, tenantId, parameters);
    }

    @GetMapping(path = OPS, produces = "text/csv")
    ResponseEntity<String> ofTenantAsCsv(Caller caller, @RequestParam(required = false) String tenantId, UsageParameters parameters) {
        return csv(reports.ofTenant(caller, tenantId, parameters));
    }

    private static ResponseEntity<String> csv(UsageReport report) {
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(UsageCsv.filename(report)).build().toString())
                .body(UsageCsv.of(report));
    }
}
