package io.freehold.controlplane.scheduling;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.scheduling.decision.ClusterSnapshot;
import io.freehold.controlplane.scheduling.decision.Explanation;
import io.freehold.controlplane.scheduling.decision.GroupRule;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import io.freehold.controlplane.scheduling.decision.Plan;
import io.freehold.controlplane.scheduling.decision.PlacementRequest;
import io.freehold.controlplane.scheduling.decision.Planner;
import io.freehold.controlplane.scheduling.decision.QuotaCheck;
import io.freehold.controlplane.scheduling.decision.ScoringPolicy;
import io.freehold.controlplane.tenancy.TenantQuotas;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way consumers get and give back host resources (ARCHITECTURE §3.4). {@link #reserve} runs in
 * the caller's transaction: it locks the tenant's quota (so usage can never pass a limit, however many
 * replicas place at once) and the placement group (so its rule sees every member), plans on a snapshot,
 * and commits only after re-checking the chosen host under its row lock — re-planning on a fresh
 * snapshot when the host changed under it.
 */
@Service
public class Placements {

    private static final String INSTANCE = "instance:";
    /** Each retry follows a commit by someone else on the chosen host; a few suffice even under heavy contention. */
    private static final int MAX_ATTEMPTS = 5;

    private final AllocationStore allocations;
    private final PlacementGroupStore groups;
    private final TenantQuotas quotas;
    private final ClusterSnapshots snapshots;
    private final Planner planner;
    private final Clock clock;

    Placements(AllocationStore allocations, PlacementGroupStore groups, TenantQuotas quotas, ClusterSnapshots snapshots,
               Planner planner, Clock clock) {
        this.allocations = allocations;
        this.groups = groups;
        this.quotas = quotas;
        this.snapshots = snapshots;
        this.planner = planner;
        this.clock = clock;
    }

    /**
     * Reserves resources for the consumer. Idempotent: a consumer that holds an allocation gets it back.
     *
     * @throws ApiProblem {@code quota-exceeded} naming each dimension; 422 on {@code placementGroupId} for a group
     *         that is not the tenant's
     */
    @Transactional
    public Reservation reserve(String tenantId, String consumerRef, PlacementSpec spec) {
        Optional<Allocation> existing = allocations.find(consumerRef);
        if (existing.isPresent()) {
            return new Reservation(existing, "already placed on " + existing.get().hostId());
        }
        List<QuotaCheck.Shortfall> shortfalls = QuotaCheck.shortfalls(quotas.lockLimits(tenantId), allocations.usedBy(tenantId),
                spec.resources(), consumerRef.startsWith(INSTANCE) ? 1 : 0);
        if (!shortfalls.isEmpty()) {
            throw quotaExceeded(shortfalls);
        }
        Optional<PlacementGroup> group = group(tenantId, spec.groupId(), true);
        String explanation = "";
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ClusterSnapshot snapshot = snapshots.take();
            PlacementRequest request = request(consumerRef, spec, group, snapshot);
            Plan plan = planner.place(request, snapshot, seed(consumerRef, attempt));
            explanation = plan.explanation().summary();
            if (plan.hostId().isEmpty()) {
                return new Reservation(Optional.empty(), explanation);
            }
            Optional<Allocation> committed = commit(tenantId, request, spec, group, plan.host());
            if (committed.isPresent()) {
                return new Reservation(committed, explanation);
            }
        }
        return new Reservation(Optional.empty(), explanation + "; the chosen hosts kept filling up under other placements, try again");
    }

    /** Gives back what the consumer holds; nothing happens when it holds nothing. */
    @Transactional
    public Optional<Allocation> release(String consumerRef) {
        Optional<Allocation> released = allocations.delete(consumerRef);
        released.ifPresent(allocation -> snapshots.allocationsChanged(List.of(allocation.hostId())));
        return released;
    }

    /** What {@link #reserve} would answer now, without reserving: the plan and the quota's verdict. */
    @Transactional
    public DryRun dryRun(String tenantId, PlacementSpec spec) {
        List<QuotaCheck.Shortfall> shortfalls = QuotaCheck.shortfalls(quotas.limits(tenantId), allocations.usedBy(tenantId),
                spec.resources(), 1);
        Optional<PlacementGroup> group = group(tenantId, spec.groupId(), false);
        ClusterSnapshot snapshot = snapshots.take();
        Plan plan = planner.place(request("dry-run:plan", spec, group, snapshot), snapshot, seed("dry-run", 0));
        Optional<HostSnapshot> host = plan.hostId().flatMap(id -> snapshot.hosts().stream().filter(h -> h.hostId().equals(id)).findFirst());
        return new DryRun(host, plan.explanation(), shortfalls);
    }

    /**
     * Re-checks the chosen host as it is now, under its row lock: an unchanged version means the plan's
     * view of it is still true; a changed one means someone placed there or ops changed it, so the host
     * must pass the planner again on its current values.
     */
    private Optional<Allocation> commit(String tenantId, PlacementRequest request, PlacementSpec spec, Optional<PlacementGroup> group,
                                        HostSnapshot planned) {
        String hostId = planned.hostId();
        List<HostSnapshot> locked = snapshots.lockAndRead(List.of(hostId));
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        HostSnapshot current = locked.get(0);
        if (current.version() != planned.version() && planner.place(request, new ClusterSnapshot(List.of(current)), 0).hostId().isEmpty()) {
            return Optional.empty();
        }
        Allocation allocation = new Allocation(request.consumerRef(), tenantId, hostId, group.map(PlacementGroup::id).orElse(null),
                spec.resources(), clock.instant());
        if (!allocations.insert(allocation)) {
            throw ApiProblem.conflict(request.consumerRef() + " was placed by a concurrent request");
        }
        snapshots.allocationsChanged(List.of(hostId));
        return Optional.of(allocation);
    }

    private PlacementRequest request(String consumerRef, PlacementSpec spec, Optional<PlacementGroup> group, ClusterSnapshot snapshot) {
        GroupRule rule = group.map(g -> snapshots.rule(g, snapshot)).orElse(null);
        ScoringPolicy scoring = group.map(g -> PolicyNames.scoring(g.scoring())).orElse(ScoringPolicy.BIN_PACK);
        return new PlacementRequest(consumerRef, spec.resources(), spec.siteId(), spec.labels(), rule, scoring);
    }

    /** The tenant's group, locked for a reservation so that its members cannot change until the transaction ends. */
    private Optional<PlacementGroup> group(String tenantId, String groupId, boolean lock) {
        if (groupId == null) {
            return Optional.empty();
        }
        return Optional.of((lock ? groups.lock(groupId) : groups.find(groupId)).filter(group -> group.tenantId().equals(tenantId))
                .orElseThrow(() -> ApiProblem.invalid("placementGroupId", "no placement group " + groupId)));
    }

    /** Deterministic per consumer and attempt, so a decision can be reproduced from its inputs. */
    private static long seed(String consumerRef, int attempt) {
        return consumerRef.hashCode() * 31L + attempt;
    }

    /** What a dry run found: the host a reservation would take now, the explanation, and what the quota lacks. */
    public record DryRun(Optional<HostSnapshot> host, Explanation explanation,
                         List<QuotaCheck.Shortfall> quotaShortfalls) {
    }

    static ApiProblem quotaExceeded(List<QuotaCheck.Shortfall> shortfalls) {
        return new ApiProblem(ProblemType.QUOTA_EXCEEDED, "the quota has no room for " + String.join(", ",
                shortfalls.stream().map(QuotaCheck.Shortfall::dimension).toList()),
                shortfalls.stream().map(s -> new FieldError(s.dimension(), s.message())).toList());
    }
}
