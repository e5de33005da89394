package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.platform.FreeholdProperties;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * All-in-one mode (the embedded database): on the first start ever, site {@code local} (UTC) with the
 * 42U rack {@code local-r1}, so that the local agent has a home (ARCHITECTURE §1). Claimed once across
 * replicas and restarts, so what ops later rename or delete stays that way.
 */
@Component
class AllInOneInventory implements ApplicationRunner {

    static final String SITE = "local";
    static final String RACK = "local-r1";
    private static final String SEED = "all-in-one-site";
    static final Caller SYSTEM = new Caller("system", Role.OPS_ADMIN, null, null);
    private static final Logger log = LoggerFactory.getLogger(AllInOneInventory.class);

    private final SeedStore seeds;
    private final SiteStore sites;
    private final RackStore racks;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final boolean embedded;

    AllInOneInventory(SeedStore seeds, SiteStore sites, RackStore racks, AuditTrail audit, IdGenerator ids, Clock clock,
                      TransactionTemplate transaction, FreeholdProperties properties) {
        this.seeds = seeds;
        this.sites = sites;
        this.racks = racks;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.transaction = transaction;
        this.embedded = !properties.db().external();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!embedded) {
            return;
        }
        boolean created = Boolean.TRUE.equals(transaction.execute(tx -> {
            Instant now = clock.instant();
            if (!seeds.claim(SEED, now)) {
                return false;
            }
            Site site = new Site(ids.next(Site.ID_PREFIX), SITE, "", "UTC", now, now);
            if (sites.insert(site)) {
                audit.succeeded(SYSTEM, null, "site.create", site.id(), Map.of("name", SITE, "timezone", "UTC"));
            }
            String siteId = sites.findByName(SITE).orElseThrow().id();
            Rack rack = new Rack(ids.next(Rack.ID_PREFIX), siteId, null, RACK, null, null, null, RackRequests.DEFAULT_HEIGHT_U,
                    RackNumbering.BOTTOM_UP, null, RackStatus.ACTIVE, now, now);
            if (racks.insert(rack)) {
                audit.succeeded(SYSTEM, null, "rack.create", rack.id(), Map.of("siteId", siteId, "name", RACK, "heightU", rack.heightU()));
            }
            return true;
        }));
        if (created) {
            log.info("All-in-one mode: created site '{}' with rack '{}'", SITE, RACK);
        }
    }
}
