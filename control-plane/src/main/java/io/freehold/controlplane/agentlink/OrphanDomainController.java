package io.freehold.controlplane.agentlink;

import java.util.List;

import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.security.Caller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Domains on hosts that no live instance accounts for, for operators to look at: Freehold reports them and never
 * removes them by itself.
 */
@RestController
class OrphanDomainController {

    /** The orphans, host by host, as the hosts listed them at their latest Hello and reported since. */
    record OrphanDomainList(List<OrphanDomain> items) {
    }

    private final HostDomainStore domains;

    OrphanDomainController(HostDomainStore domains) {
        this.domains = domains;
    }

    @GetMapping("/api/v1/ops/orphan-domains")
    @Transactional(readOnly = true)
    OrphanDomainList list(Caller caller) {
        caller.require(Capability.READ_OPS);
        return new OrphanDomainList(domains.orphans());
    }
}
