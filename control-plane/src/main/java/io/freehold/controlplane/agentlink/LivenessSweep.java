package io.freehold.controlplane.agentlink;

import java.time.Clock;

import io.freehold.controlplane.inventory.HostRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Marks hosts whose heartbeats stopped UNREACHABLE. Every replica runs it; {@link HostRegistry} skips
 * rows another replica is already handling, so running it twice at once only splits the work. It
 * catches what no stream end reports: a half-open connection, a replica that died holding sessions.
 */
@Component
class LivenessSweep {

    private static final Logger log = LoggerFactory.getLogger(LivenessSweep.class);

    private final HostRegistry hosts;
    private final Clock clock;

    LivenessSweep(HostRegistry hosts, Clock clock) {
        this.hosts = hosts;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${freehold.agentlink.liveness-sweep-interval}")
    void sweep() {
        try {
            int silent = hosts.markSilentHostsUnreachable(clock.instant());
            if (silent > 0) {
                log.info("{} host(s) missed their heartbeats and are UNREACHABLE", silent);
            }
        } catch (RuntimeException e) {
            // One line, not a stack trace every second while the database is away; the next sweep tries again.
            log.warn("liveness sweep failed: {}", e.toString());
        }
    }
}
