package io.freehold.controlplane.agentlink;

import java.time.Instant;
import java.util.Optional;

import io.freehold.agent.v1.GuestReport;
import io.freehold.controlplane.compute.decision.GuestObservation.ObservedPower;
import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact;

/** A {@link GuestReport} checked field by field, before anything of it is believed. */
record ParsedReport(String instanceId, String tenantId, LifecycleEventKind event, Instant agentTime, long generation,
                    LifecycleFact.Shape shape) {

    private static final int MAX_INCARNATION = 64;

    /** @throws IllegalArgumentException naming the first field that is wrong */
    static ParsedReport of(GuestReport report) {
        WireFacts.limited("guest_report.incarnation_id", report.getIncarnationId(), MAX_INCARNATION);
        if (report.getIncarnationId().isEmpty()) {
            throw new IllegalArgumentException("guest_report.incarnation_id is required");
        }
        if (report.getReportSeq() <= 0) {
            throw new IllegalArgumentException("guest_report.report_seq must be positive");
        }
        LifecycleEventKind event = switch (report.getEvent()) {
            case LIFECYCLE_EVENT_PROVISIONED -> LifecycleEventKind.PROVISIONED;
            case LIFECYCLE_EVENT_STARTED -> LifecycleEventKind.STARTED;
            case LIFECYCLE_EVENT_STOPPED -> LifecycleEventKind.STOPPED;
            case LIFECYCLE_EVENT_RESIZED -> LifecycleEventKind.RESIZED;
            case LIFECYCLE_EVENT_DELETED -> LifecycleEventKind.DELETED;
            default -> throw new IllegalArgumentException("guest_report.event " + report.getEventValue() + " is not a lifecycle event");
        };
        if (report.getShape().getVcpus() < 0 || report.getShape().getMemoryMib() < 0 || report.getShape().getRootDiskGib() < 0) {
            throw new IllegalArgumentException("guest_report.shape has a negative size");
        }
        return new ParsedReport(WireFacts.instanceId("guest_report.instance_id", report.getInstanceId()),
                WireFacts.limited("guest_report.tenant_id", report.getTenantId(), MAX_INCARNATION),
                event, WireFacts.instant("guest_report.observed_at", report.getObservedAt()), report.getGeneration(),
                new LifecycleFact.Shape(report.getShape().getVcpus(), report.getShape().getMemoryMib(), report.getShape().getRootDiskGib()));
    }

    /** The fact, at the control plane's time. */
    LifecycleFact at(Instant occurredAt) {
        return new LifecycleFact(instanceId, tenantId, event, occurredAt, generation, shape);
    }

    /** What the fact says the guest is doing now; a resize says nothing about power. */
    Optional<ObservedPower> power() {
        return switch (event) {
            case PROVISIONED, STOPPED -> Optional.of(ObservedPower.STOPPED);
            case STARTED -> Optional.of(ObservedPower.RUNNING);
            case DELETED -> Optional.of(ObservedPower.ABSENT);
            case RESIZED -> Optional.empty();
        };
    }
}
