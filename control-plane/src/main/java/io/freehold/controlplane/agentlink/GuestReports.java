package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.freehold.agent.v1.GuestPower;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.Hello;
import io.freehold.controlplane.compute.InstanceObservations;
import io.freehold.controlplane.compute.decision.GuestObservation.ObservedPower;
import io.freehold.controlplane.metering.FactTime;
import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact;
import io.freehold.controlplane.metering.LifecycleLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a host's agent tells about its guests (protocol version 3): the guest list of its Hello — kept for
 * orphan reports and handed to the instance reconciler as a resync — and its lifecycle reports, each recorded
 * once in metering's log and handed to the reconciler as an observation, in one transaction per message.
 */
@Component
class GuestReports {

    /** What became of a report; the agent is acknowledged in every case, since sending it again would change nothing. */
    enum Outcome { RECORDED, DUPLICATE, REJECTED }

    private static final Logger log = LoggerFactory.getLogger(GuestReports.class);

    private final AgentIncarnationStore incarnations;
    private final HostDomainStore domains;
    private final InstanceObservations observations;
    private final LifecycleLog lifecycle;
    private final AgentLinkMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;

    GuestReports(AgentIncarnationStore incarnations, HostDomainStore domains, InstanceObservations observations, LifecycleLog lifecycle,
                 AgentLinkMetrics metrics, TransactionTemplate transaction, Clock clock) {
        this.incarnations = incarnations;
        this.domains = domains;
        this.observations = observations;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * A Hello on a session of version 3 or newer: remembers the incarnation's clock offset, and when the agent has
     * looked at libvirt since it started, replaces the host's domain list and resyncs its instances.
     */
    void hello(String hostId, String incarnationId, Duration clockOffset, Hello hello) {
        List<HostDomain> listed = new ArrayList<>();
        Map<String, ObservedPower> guests = new HashMap<>();
        Instant now = clock.instant();
        hello.getGuestsList().forEach(guest -> {
            String id = WireFacts.instanceId("hello.guests.instance_id", guest.getInstanceId());
            listed.add(new HostDomain(id, HostDomain.FREEHOLD, guest.getGeneration(), WireFacts.power(guest.getPower()), null));
            guests.put(id, guest.getPower() == GuestPower.GUEST_POWER_SHUT_OFF ? ObservedPower.STOPPED : ObservedPower.RUNNING);
        });
        // Agents list every domain named like a DNS label without Freehold's metadata (libvirt's test driver has
        // one called "test"); only those named like instance ids could be mistaken for Freehold's.
        hello.getForeignDomainsList().stream().filter(domain -> WireFacts.isInstanceId(domain.getName()))
                .forEach(domain -> listed.add(new HostDomain(domain.getName(), HostDomain.FOREIGN, null, WireFacts.power(domain.getPower()),
                        WireFacts.limited("hello.foreign_domains.reason", domain.getReason(), WireFacts.MAX_TEXT))));
        transaction.executeWithoutResult(tx -> {
            incarnations.recordHello(hostId, incarnationId, clockOffset, now);
            if (hello.getGuestsObserved()) {
                domains.replace(hostId, listed, now);
                List<String> placed = observations.hostListed(hostId, guests, hello.getLastAppliedSeq(), now, now);
                log.info("host {} listed {} guests and {} foreign domains named like instances; resyncing its {} instances", hostId,
                        guests.size(), listed.size() - guests.size(), placed.size());
            }
        });
    }

    /**
     * One lifecycle report. Its time is corrected by the clock offset of the incarnation that observed it, which
     * may be an earlier one than the session's (reports outlive agent restarts); the session's offset stands in
     * when that incarnation never said Hello to any replica.
     */
    Outcome report(String hostId, Duration sessionOffset, GuestReport report) {
        Instant now = clock.instant();
        ParsedReport parsed;
        try {
            parsed = ParsedReport.of(report);
        } catch (IllegalArgumentException invalid) {
            // Refusing it would end the session, and the agent would send it again on the next one, for ever.
            log.warn("host {} sent an unreadable guest report (incarnation {}, seq {}): {}; not recorded", hostId,
                    report.getIncarnationId(), report.getReportSeq(), invalid.getMessage());
            metrics.guestReport(Outcome.REJECTED);
            return Outcome.REJECTED;
        }
        Outcome outcome = transaction.execute(tx -> {
            if (!observations.isOn(parsed.instanceId(), parsed.tenantId(), hostId)) {
                return Outcome.REJECTED;
            }
            Duration offset = incarnations.clockOffset(hostId, report.getIncarnationId()).orElse(sessionOffset);
            LifecycleFact fact = parsed.at(FactTime.corrected(parsed.agentTime(), offset));
            if (!lifecycle.observed(hostId, report.getIncarnationId(), report.getReportSeq(), parsed.agentTime(), offset, fact, now)) {
                return Outcome.DUPLICATE;
            }
            Instant observedAt = parsed.agentTime().plus(offset);
            switch (fact.event()) {
                case DELETED -> domains.remove(hostId, fact.instanceId());
                case PROVISIONED, STARTED, STOPPED -> domains.upsertOwn(hostId, fact.instanceId(), fact.generation(),
                        fact.event() == LifecycleEventKind.STARTED ? "RUNNING" : "SHUT_OFF", observedAt);
                case RESIZED -> {
                }
            }
            parsed.power().ifPresent(power -> observations.observed(hostId, fact.instanceId(), power, report.getAppliedSeq(), observedAt, now));
            return Outcome.RECORDED;
        });
        if (outcome == Outcome.REJECTED) {
            log.warn("host {} reported {} of instance {} (tenant {}), which was never placed there; not recorded", hostId,
                    parsed.event(), parsed.instanceId(), parsed.tenantId());
        }
        metrics.guestReport(outcome);
        return outcome;
    }
}
