package io.freehold.archfixture.rogue.decision;

import java.time.Instant;

import org.springframework.stereotype.Component;

/** Breaks the purity rule on purpose: a Spring bean that reads the clock. */
@Component
public class ClockReadingDecision {

    public boolean expired(Instant deadline) {
        return Instant.now().isAfter(deadline);
    }
}
