package io.freehold.controlplane.tenancy;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/audit-events")
    Page<AuditEvent> list(Caller caller,
                          @RequestParam(required = false) String tenant,
                          @RequestParam(required = false) String actor,
                          @RequestParam(required = false) String action,
                          @RequestParam(required = false) String target,
                          @RequestParam(required = false) String since,
                          @RequestParam(required = false) String until,
                          @RequestParam(required = false) String limit,
                          @RequestParam(required = false) String cursor) {
        return audit.find(caller, tenant, actor, action, target, since, until,
                PageRequest.parse(limit, cursor, id -> Base32.isId(AuditEvent.ID_PREFIX, id)));
    }
}
