package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps console reads from piling up in the command log. A read nobody waits for any more ({@link
 * AgentCommands#CONSOLE_READ_LIFETIME}) is expired — failed with code {@code EXPIRED}, so no replica sends it
 * again, and an answer that still comes is ignored — and every read is deleted {@link #KEPT} after it was made,
 * answered or not: an answer is for the one REST call that asked. Every replica runs it; both statements are
 * idempotent, so two replicas at once only repeat each other.
 */
@Component
class ConsoleReadSweep {

    /** Long enough to look at a read after the fact while debugging, short enough that the table stays small. */
    static final Duration KEPT = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(ConsoleReadSweep.class);

    private final AgentCommandStore store;
    private final Clock clock;

    ConsoleReadSweep(AgentCommandStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("console read sweep failed: {}", e.toString());
        }
    }

    /** @return how many reads were expired and deleted; each statement stands alone, so no transaction spans them */
    int sweep() {
        Instant now = clock.instant();
        int expired = store.expireConsoleReads(now.minus(AgentCommands.CONSOLE_READ_LIFETIME), now);
        int deleted = store.deleteConsoleReads(now.minus(KEPT));
        if (expired > 0 || deleted > 0) {
            log.debug("console reads: {} expired, {} deleted", expired, deleted);
        }
        return expired + deleted;
    }
}
