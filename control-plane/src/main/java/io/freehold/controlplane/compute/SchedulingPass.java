package io.freehold.controlplane.compute;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.controlplane.compute.decision.InstanceDecisions;
import io.freehold.controlplane.compute.decision.ReservationOutcome;
import io.freehold.controlplane.compute.decision.StatusChange;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.FaultPoints;
import io.freehold.controlplane.platform.queue.WorkQueue;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.scheduling.PlacementAsk;
import io.freehold.controlplane.scheduling.PlacementSpec;
import io.freehold.controlplane.scheduling.Placements;
import io.freehold.controlplane.scheduling.Reservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The instance reconciler's pass (ARCHITECTURE §3.2). One pass claims a batch of due instance keys,
 * re-reads and locks those instances, asks placement for hosts for the pending ones in one batch, writes
 * each decision ({@link InstanceDecisions#decide}), and converges every placed instance with its host
 * ({@link Provisioning}: the command for the host and the status from its answers), with the keys
 * completed or retried — all in one transaction, so a pass that fails changes nothing and its keys are due again. Any number of
 * replicas may run passes at once: claims skip each other's keys, and placement never overcommits.
 */
@Component
public class SchedulingPass {

    private static final Logger log = LoggerFactory.getLogger(SchedulingPass.class);

    private final InstanceStore instances;
    private final WorkQueue queue;
    private final Placements placements;
    private final Provisioning provisioning;
    private final Clock clock;
    private final int batchSize;

    SchedulingPass(InstanceStore instances, WorkQueue queue, Placements placements, Provisioning provisioning, Clock clock,
                   ComputeProperties properties) {
        this.instances = instances;
        this.queue = queue;
        this.placements = placements;
        this.provisioning = provisioning;
        this.clock = clock;
        this.batchSize = properties.scheduling().batchSize();
    }

    /** Runs one pass. @return how many keys it claimed; as many as the batch size means more may be due */
    @Transactional
    public int runOnce() {
        Instant now = clock.instant();
        List<WorkQueue.Item> claimed = queue.claim(InstanceService.QUEUE_KIND, batchSize, now);
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<String, Instance> live = instances.lockAll(claimed.stream().map(WorkQueue.Item::key).toList()).stream()
                .collect(Collectors.toMap(Instance::id, instance -> instance));
        List<WorkQueue.Item> waiting = claimed.stream()
                .filter(item -> live.containsKey(item.key()) && InstanceDecisions.wantsPlacement(live.get(item.key()).status()))
                .toList();
        List<WorkQueue.Item> placedBefore = claimed.stream()
                .filter(item -> live.containsKey(item.key()) && live.get(item.key()).status().hostId() != null)
                .toList();
        // Removed meanwhile, or neither pending nor placed: nothing to do until an event queues the key again.
        Set<String> handled = new HashSet<>();
        waiting.forEach(item -> handled.add(item.key()));
        placedBefore.forEach(item -> handled.add(item.key()));
        claimed.stream().filter(item -> !handled.contains(item.key())).forEach(queue::complete);
        int placed = waiting.isEmpty() ? 0 : schedule(waiting, live, now);
        for (WorkQueue.Item item : placedBefore) {
            if (provisioning.converge(live.get(item.key()), now)) {
                queue.complete(item);
            } else {
                queue.retryLater(item, now);
            }
        }
        log.debug("instance pass: {} claimed, {} to place, {} placed, {} to converge", claimed.size(), waiting.size(), placed,
                placedBefore.size());
        return claimed.size();
    }

    /** Places the waiting instances in one batch and, for those that got a host, starts provisioning at once. */
    private int schedule(List<WorkQueue.Item> waiting, Map<String, Instance> live, Instant now) {
        List<Reservation> answers = placements.reserveAll(waiting.stream().map(item -> ask(live.get(item.key()))).toList());
        int placed = 0;
        for (int i = 0; i < waiting.size(); i++) {
            Instance instance = live.get(waiting.get(i).key());
            StatusChange change = InstanceDecisions.decide(instance.status(), outcome(answers.get(i)), now);
            if (!change.status().equals(instance.status())) {
                instances.updateStatus(instance.id(), change.status(), now);
            }
            if (!change.settled()) {
                queue.retryLater(waiting.get(i), now);
                continue;
            }
            placed++;
            FaultPoints.reach(FaultPoints.Point.AFTER_PLACEMENT);
            if (provisioning.converge(instance.withStatus(change.status()), now)) {
                queue.complete(waiting.get(i));
            } else {
                queue.retryLater(waiting.get(i), now);
            }
        }
        return placed;
    }

    /**
     * Queues the key of every unsettled instance that is not queued (level-based: whatever an event missed,
     * or a key lost with a crashed pass, is found again). Keys already queued keep their backoff.
     *
     * @return how many keys were added
     */
    @Transactional
    public int sweep() {
        return queue.enqueueMissing(InstanceService.QUEUE_KIND, instances.unsettledIds(), clock.instant());
    }

    private static PlacementAsk ask(Instance instance) {
        InstanceSpec spec = instance.spec();
        return new PlacementAsk(instance.tenantId(), instance.consumerRef(),
                new PlacementSpec(new Resources(spec.vcpus(), spec.memoryMib(), spec.rootDiskGib()), null, Map.of(), spec.placementGroupId()));
    }

    private static ReservationOutcome outcome(Reservation reservation) {
        if (reservation.placed()) {
            return ReservationOutcome.placed(reservation.allocation().orElseThrow().hostId(), reservation.explanation());
        }
        if (reservation.refusal().isEmpty()) {
            return ReservationOutcome.noFit(reservation.explanation());
        }
        ApiProblem refusal = reservation.refusal().get();
        String detail = refusal.errors().isEmpty() ? refusal.getMessage() : refusal.getMessage() + ": "
                + refusal.errors().stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
        return refusal.type() == ProblemType.QUOTA_EXCEEDED ? ReservationOutcome.quotaExceeded(detail) : ReservationOutcome.refused(detail);
    }
}
