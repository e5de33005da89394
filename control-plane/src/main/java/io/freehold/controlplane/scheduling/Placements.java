package io.freehold.controlplane.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.scheduling.decision.ClusterSnapshot;
import io.freehold.controlplane.scheduling.decision.CommitCheck;
import io.freehold.controlplane.scheduling.decision.Explanation;
import io.freehold.controlplane.scheduling.decision.GroupRule;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import io.freehold.controlplane.scheduling.decision.Plan;
import io.freehold.controlplane.scheduling.decision.PlacementRequest;
import io.freehold.controlplane.scheduling.decision.Planner;
import io.freehold.controlplane.scheduling.decision.QuotaCheck;
import io.freehold.controlplane.scheduling.decision.ResizeCheck;
import io.freehold.controlplane.scheduling.decision.ScoringPolicy;
import io.freehold.controlplane.tenancy.QuotaLimits;
import io.freehold.controlplane.tenancy.QuotaUsed;
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
    /**
     * Rounds of planning per batch. A round plans again only what another transaction's commit or lock got
     * in the way of, on the view the earlier rounds corrected, so rounds are cheap; eight leave fewer than
     * one ask in a thousand unplaced under the benchmark's contention (docs/performance.md).
     */
    private static final int MAX_ATTEMPTS = 8;

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
        Reservation reservation = reserveAll(List.of(new PlacementAsk(tenantId, consumerRef, spec))).get(0);
        if (reservation.refusal().isPresent()) {
            throw reservation.refusal().get();
        }
        return reservation;
    }

    /**
     * Reserves for several consumers in one transaction, one commit for all: what a scheduling pass does
     * with the work it picked up. Each ask is answered on its own, in the order given; later asks see what
     * earlier ones took. Quotas are checked in that order before planning, so an ask that passed its quota
     * but found no host still counted against the quota of the asks after it in this batch.
     *
     * @throws IllegalArgumentException when two asks name the same consumer
     */
    @Transactional
    public List<Reservation> reserveAll(List<PlacementAsk> asks) {
        Set<String> consumers = asks.stream().map(PlacementAsk::consumerRef).collect(Collectors.toSet());
        if (consumers.size() != asks.size()) {
            throw new IllegalArgumentException("a batch names a consumer twice");
        }
        Reservation[] answers = new Reservation[asks.size()];
        Map<String, Allocation> existing = allocations.findAll(consumers);
        List<Integer> pending = new ArrayList<>();
        Set<String> tenants = new TreeSet<>(asks.stream().filter(ask -> !existing.containsKey(ask.consumerRef())).map(PlacementAsk::tenantId).toList());
        Map<String, QuotaLimits> limits = quotas.lockLimits(tenants);
        Map<String, Optional<PlacementGroup>> groups = lockGroups(asks);
        Map<String, QuotaUsed> used = new HashMap<>(allocations.usedBy(tenants));
        for (int i = 0; i < asks.size(); i++) {
            PlacementAsk ask = asks.get(i);
            Allocation held = existing.get(ask.consumerRef());
            if (held != null) {
                answers[i] = Reservation.placed(held, "already placed on " + held.hostId());
                continue;
            }
            String groupId = ask.spec().groupId();
            if (groupId != null && groups.get(groupId).filter(group -> group.tenantId().equals(ask.tenantId())).isEmpty()) {
                answers[i] = Reservation.refused(ApiProblem.invalid("placementGroupId", "no placement group " + groupId));
                continue;
            }
            int instances = ask.consumerRef().startsWith(INSTANCE) ? 1 : 0;
            QuotaUsed tenantUsed = used.get(ask.tenantId());
            List<QuotaCheck.Shortfall> shortfalls = QuotaCheck.shortfalls(limits.get(ask.tenantId()), tenantUsed, ask.spec().resources(), instances);
            if (!shortfalls.isEmpty()) {
                answers[i] = Reservation.refused(quotaExceeded(shortfalls));
                continue;
            }
            used.put(ask.tenantId(), plus(tenantUsed, ask.spec().resources(), instances));
            pending.add(i);
        }
        place(asks, groups, pending, answers);
        return List.of(answers);
    }

    /**
     * Plans the pending asks on a snapshot, locks the chosen hosts, commits what still fits on them and
     * plans the rest again, a bounded number of times. Planning starts on the replica's recent snapshot,
     * which may be a moment old: the re-check under the hosts' locks makes that safe, and each round
     * corrects the view with the hosts it locked. Hosts another transaction holds are never waited for (a
     * batch holding some hosts while waiting for more could wait in a circle with another, and queues of
     * waiting batches were the bottleneck): they are left out of the next round. "Nothing fits" is said
     * only of a fresh snapshot with no host left out, so it is always true of the cluster as it is; when
     * chosen hosts turn out full in a second round too, the view is old everywhere and is read afresh.
     */
    private void place(List<PlacementAsk> asks, Map<String, Optional<PlacementGroup>> groups, List<Integer> pending, Reservation[] answers) {
        String[] explanations = new String[asks.size()];
        ClusterSnapshot base = snapshots.recent();
        boolean fresh = false;
        Map<String, HostSnapshot> lockedSoFar = new HashMap<>();
        Set<String> heldElsewhere = new HashSet<>();
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            ClusterSnapshot snapshot = view(base, lockedSoFar, heldElsewhere);
            boolean exact = fresh && heldElsewhere.isEmpty();
            heldElsewhere.clear();
            Map<String, GroupRule> rules = new HashMap<>();
            List<PlacementRequest> requests = pending.stream().map(i -> request(asks.get(i), groups, rules, snapshot)).toList();
            List<Plan> plans = planner.placeAll(requests, snapshot, seed(asks.get(pending.get(0)).consumerRef(), attempt));
            List<Integer> planned = new ArrayList<>();
            List<PlacementRequest> plannedRequests = new ArrayList<>();
            List<String> plannedHosts = new ArrayList<>();
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < pending.size(); k++) {
                int i = pending.get(k);
                explanations[i] = plans.get(k).explanation().summary();
                if (plans.get(k).hostId().isEmpty() && exact) {
                    answers[i] = Reservation.notPlaced(explanations[i]);
                } else if (plans.get(k).hostId().isEmpty()) {
                    again.add(i);
                } else {
                    planned.add(i);
                    plannedRequests.add(requests.get(k));
                    plannedHosts.add(plans.get(k).hostId().get());
                }
            }
            boolean unplacedOnAnInexactView = !again.isEmpty();
            List<String> chosen = plannedHosts.stream().distinct().sorted().toList();
            Map<String, HostSnapshot> locked = snapshots.lockAvailableAndRead(chosen).stream()
                    .collect(Collectors.toMap(HostSnapshot::hostId, host -> host));
            chosen.stream().filter(id -> !locked.containsKey(id)).forEach(heldElsewhere::add);
            lockedSoFar.putAll(locked);
            CommitCheck.Outcome outcome = CommitCheck.check(plannedRequests, plannedHosts, locked);
            List<Integer> committed = outcome.commit().stream().map(planned::get).toList();
            List<String> committedHosts = outcome.commit().stream().map(plannedHosts::get).toList();
            commit(asks, groups, committed, committedHosts, explanations, answers);
            for (int k = 0; k < committed.size(); k++) {
                HostSnapshot host = lockedSoFar.get(committedHosts.get(k));
                lockedSoFar.put(host.hostId(), host.plus(asks.get(committed.get(k)).spec().resources()));
            }
            // The first round's misses are corrected by the hosts it locked; misses again mean the view is old everywhere.
            boolean filledSinceTheView = attempt > 0 && !fresh && outcome.retry().stream().anyMatch(k -> locked.containsKey(plannedHosts.get(k)));
            outcome.retry().stream().map(planned::get).forEach(again::add);
            pending = again.stream().sorted().toList();
            if ((unplacedOnAnInexactView || filledSinceTheView) && !pending.isEmpty()) {
                base = snapshots.take();
                fresh = true;
                lockedSoFar.clear();
            }
            if (committed.isEmpty() && !heldElsewhere.isEmpty()) {
                pause(attempt);
            }
        }
        for (int i : pending) {
            answers[i] = Reservation.notPlaced(explanations[i] + "; the chosen hosts kept changing under other placements, try again");
        }
    }

    private void commit(List<PlacementAsk> asks, Map<String, Optional<PlacementGroup>> groups, List<Integer> indexes, List<String> hostIds,
                        String[] explanations, Reservation[] answers) {
        if (indexes.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Allocation> batch = new ArrayList<>();
        for (int k = 0; k < indexes.size(); k++) {
            PlacementAsk ask = asks.get(indexes.get(k));
            String groupId = ask.spec().groupId() == null ? null : groups.get(ask.spec().groupId()).orElseThrow().id();
            batch.add(new Allocation(ask.consumerRef(), ask.tenantId(), hostIds.get(k), groupId, ask.spec().resources(), now));
        }
        List<String> inserted = allocations.insertAll(batch);
        if (inserted.size() != batch.size()) {
            throw ApiProblem.conflict(batch.stream().map(Allocation::consumerRef).filter(ref -> !inserted.contains(ref)).toList()
                    + " were placed by a concurrent request");
        }
        snapshots.allocationsChanged(hostIds.stream().distinct().toList());
        for (int k = 0; k < indexes.size(); k++) {
            answers[indexes.get(k)] = Reservation.placed(batch.get(k), explanations[indexes.get(k)]);
        }
    }

    /** The asks' placement groups, locked in id order so that their members cannot change until the transaction ends. */
    private Map<String, Optional<PlacementGroup>> lockGroups(List<PlacementAsk> asks) {
        Map<String, Optional<PlacementGroup>> locked = new TreeMap<>();
        asks.stream().map(ask -> ask.spec().groupId()).filter(id -> id != null).sorted().distinct()
                .forEach(id -> locked.put(id, groups.lock(id)));
        return locked;
    }

    /**
     * Waits a little before the next round when this one was blocked only by other transactions, which
     * commit within milliseconds: on a small cluster every round would otherwise meet the same locks.
     */
    private static void pause(int attempt) {
        try {
            Thread.sleep(1L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The snapshot corrected with the hosts this transaction locked and read, and without those held
     * elsewhere. The replica's snapshots list hosts in id order, so each is found by binary search rather
     * than by walking all of them.
     */
    private static ClusterSnapshot view(ClusterSnapshot snapshot, Map<String, HostSnapshot> lockedSoFar, Set<String> heldElsewhere) {
        if (lockedSoFar.isEmpty() && heldElsewhere.isEmpty()) {
            return snapshot;
        }
        List<HostSnapshot> hosts = new ArrayList<>(snapshot.hosts());
        for (HostSnapshot locked : lockedSoFar.values()) {
            int index = indexOf(hosts, locked.hostId());
            if (index >= 0) {
                hosts.set(index, locked);
            }
        }
        heldElsewhere.stream().mapToInt(id -> indexOf(hosts, id)).filter(index -> index >= 0).boxed()
                .sorted(Comparator.reverseOrder()).forEach(index -> hosts.remove((int) index));
        return new ClusterSnapshot(hosts);
    }

    private static int indexOf(List<HostSnapshot> hostsInIdOrder, String hostId) {
        int low = 0;
        int high = hostsInIdOrder.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int comparison = hostsInIdOrder.get(middle).hostId().compareTo(hostId);
            if (comparison == 0) {
                return middle;
            } else if (comparison < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return -1;
    }

    private static QuotaUsed plus(QuotaUsed used, Resources resources, int instances) {
        return new QuotaUsed(used.vcpus() + (int) resources.vcpus(), used.memoryMib() + resources.memoryMib(),
                used.diskGib() + resources.diskGib(), used.instances() + instances);
    }

    /**
     * Changes the consumer's allocation where it is, on the host that holds it, to {@code resources}: what
     * a resize of a stopped instance needs. Runs in the caller's transaction and locks, in this order, the
     * allocation, the tenant's quota and the host — waiting for the host, unlike {@link #reserveAll}: there
     * is no other host to try, and one host taken last cannot make anyone wait in a circle. What is
     * allocated on the host is read under its lock, so resizes and placements racing for it never
     * overcommit it, nor the quota. Only growth is checked ({@link ResizeCheck}); a refusal changes nothing.
     *
     * @return the allocation as it is now
     * @throws ApiProblem {@code quota-exceeded} naming each dimension the growth would take past the tenant's limit,
     *         checked first as {@link #reserveAll} does; {@code insufficient-capacity} naming each resource the host lacks
     * @throws IllegalStateException when the consumer holds no allocation
     */
    @Transactional
    public Allocation resize(String consumerRef, Resources resources) {
        Allocation held = allocations.lock(consumerRef)
                .orElseThrow(() -> new IllegalStateException(consumerRef + " holds no allocation to resize"));
        if (held.resources().equals(resources)) {
            return held;
        }
        QuotaLimits limits = quotas.lockLimits(held.tenantId());
        Resources growth = resources.minus(held.resources()).atLeastZero();
        List<QuotaCheck.Shortfall> overQuota = QuotaCheck.shortfalls(limits, allocations.usedBy(held.tenantId()), growth, 0);
        if (!overQuota.isEmpty()) {
            throw quotaExceeded(overQuota);
        }
        HostSnapshot host = snapshots.lockAndRead(held.hostId())
                .orElseThrow(() -> new IllegalStateException(consumerRef + " is allocated on " + held.hostId() + ", which does not exist"));
        List<ResizeCheck.Shortfall> shortfalls = ResizeCheck.shortfalls(host, held.resources(), resources);
        if (!shortfalls.isEmpty()) {
            throw new ApiProblem(ProblemType.INSUFFICIENT_CAPACITY, ResizeCheck.explanation(host.hostId(), shortfalls),
                    shortfalls.stream().map(s -> new FieldError(s.dimension(), s.message() + " on " + host.hostId())).toList());
        }
        allocations.resize(consumerRef, resources);
        snapshots.allocationsChanged(List.of(held.hostId()));
        return new Allocation(held.consumerRef(), held.tenantId(), held.hostId(), held.groupId(), resources, held.createdAt());
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
        Optional<PlacementGroup> group = spec.groupId() == null ? Optional.empty()
                : Optional.of(groups.find(spec.groupId()).filter(g -> g.tenantId().equals(tenantId))
                        .orElseThrow(() -> ApiProblem.invalid("placementGroupId", "no placement group " + spec.groupId())));
        ClusterSnapshot snapshot = snapshots.take();
        Plan plan = planner.place(request("dry-run:plan", spec, group, new HashMap<>(), snapshot), snapshot, seed("dry-run", 0));
        Optional<HostSnapshot> host = plan.hostId().flatMap(id -> snapshot.hosts().stream().filter(h -> h.hostId().equals(id)).findFirst());
        return new DryRun(host, plan.explanation(), shortfalls);
    }

    private PlacementRequest request(PlacementAsk ask, Map<String, Optional<PlacementGroup>> groups, Map<String, GroupRule> rules,
                                     ClusterSnapshot snapshot) {
        Optional<PlacementGroup> group = ask.spec().groupId() == null ? Optional.empty() : groups.get(ask.spec().groupId());
        return request(ask.consumerRef(), ask.spec(), group, rules, snapshot);
    }

    private PlacementRequest request(String consumerRef, PlacementSpec spec, Optional<PlacementGroup> group, Map<String, GroupRule> rules,
                                     ClusterSnapshot snapshot) {
        GroupRule rule = group.map(g -> rules.computeIfAbsent(g.id(), id -> snapshots.rule(g, snapshot))).orElse(null);
        ScoringPolicy scoring = group.map(g -> PolicyNames.scoring(g.scoring())).orElse(ScoringPolicy.BIN_PACK);
        return new PlacementRequest(consumerRef, spec.resources(), spec.siteId(), spec.labels(), rule, scoring);
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
