package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** Against libvirt's built-in test driver (needs only Debian's libvirt0 library) and a URI that cannot answer. */
class LibvirtProbeTest {

    @Test
    void readsVersionsAndGuestsFromTheTestDriver() {
        try (LibvirtProbe probe = new LibvirtProbe("test:///default", Duration.ofSeconds(30), Clock.systemUTC())) {
            LibvirtProbe.Versions versions = probe.versions().orElseThrow();

            assertThat(versions.libvirt()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(versions.hypervisorType()).isEqualToIgnoringCase("test");
            assertThat(versions.qemu()).isEmpty();
            assertThat(probe.guestCount()).hasValue(1);
        }
    }

    @Test
    void anUnansweringUriReportsUnknownAndIsNotAskedAgainBeforeTheRetryInterval() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        // A unix socket that does not exist: libvirt fails at once rather than timing out.
        try (LibvirtProbe probe = new LibvirtProbe("qemu+unix:///system?socket=/nonexistent/libvirt-sock", Duration.ofSeconds(30), clock)) {
            assertThat(probe.versions()).isEmpty();
            assertThat(probe.guestCount()).isEmpty();

            clock.now = clock.now.plusSeconds(31);
            assertThat(probe.versions()).isEmpty();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
