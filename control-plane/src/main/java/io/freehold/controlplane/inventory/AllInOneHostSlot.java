package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import io.freehold.controlplane.inventory.decision.RackUnits;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.SecretToken;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where the all-in-one control plane's own agent joins: the lowest free unit of rack {@code local-r1},
 * as a slot labelled {@value #LABEL}{@code =true} that is pre-registered the first time it is needed and
 * reused until an agent fills it. When ops have deleted the rack or filled it, the agent joins as an
 * unracked host instead, so the local machine is never left out.
 */
@Component
public class AllInOneHostSlot {

    public static final String LABEL = "freehold.io/all-in-one";
    private static final String NOTES = "the machine that runs the all-in-one control plane";

    private final SiteStore sites;
    private final RackStore racks;
    private final HostStore hosts;
    private final HostService hostService;
    private final HostRegistry registry;
    private final AuditTrail audit;
    private final Clock clock;

    AllInOneHostSlot(SiteStore sites, RackStore racks, HostStore hosts, HostService hostService, HostRegistry registry,
                     AuditTrail audit, Clock clock) {
        this.sites = sites;
        this.racks = racks;
        this.hosts = hosts;
        this.hostService = hostService;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
    }

    /** A single-use join token for the local agent, bound to the all-in-one slot when there is room for one. */
    @Transactional
    public IssuedJoinToken issueJoinToken(Duration lifetime) {
        String slot = rack().map(this::slotIn).orElse(null);
        IssuedJoinToken issued = registry.issueJoinToken(slot, lifetime, AllInOneInventory.SYSTEM.userId(), clock.instant());
        audit.succeeded(AllInOneInventory.SYSTEM, null, "join-token.create", issued.id(), slot == null
                ? Map.of("prefix", prefix(issued), "expiresAt", issued.expiresAt().toString())
                : Map.of("prefix", prefix(issued), "hostId", slot, "expiresAt", issued.expiresAt().toString()));
        return issued;
    }

    private Optional<Rack> rack() {
        return sites.findByName(AllInOneInventory.SITE).flatMap(site -> racks.findByName(site.id(), AllInOneInventory.RACK));
    }

    /** @return the unfilled slot of an earlier attempt, a new one in the lowest free unit, or null when the rack is full */
    private String slotIn(Rack rack) {
        Optional<Host> unfilled = hosts.list(new HostStore.Filter(HostState.REGISTERED, null, rack.id(), Map.of(LABEL, "true"), null),
                new PageRequest(PageRequest.MAX_LIMIT, null)).stream().filter(host -> host.joinedAt() == null).findFirst();
        if (unfilled.isPresent()) {
            return unfilled.get().id();
        }
        List<RackUnits.Occupant> occupants = racks.occupants(rack.id());
        return IntStream.rangeClosed(1, rack.heightU())
                .filter(unit -> RackUnits.overlap(occupants, unit, 1, null).isEmpty())
                .mapToObj(unit -> hostService.create(AllInOneInventory.SYSTEM, new HostRequests.Create(rack.id(), unit, 1, null, null,
                        null, NOTES, Map.of(LABEL, "true"), null, null, null, null, null, null)).id())
                .findFirst()
                .orElse(null);
    }

    private static String prefix(IssuedJoinToken issued) {
        return SecretToken.parse(HostRegistry.JOIN_TOKEN_KIND, issued.token()).orElseThrow().prefix();
    }
}
