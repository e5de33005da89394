package io.freehold.controlplane.platform.ids;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes external ids of the form {@code <prefix>-<26 chars>}: 48 bits of milliseconds then 80 random
 * bits in lower-case Crockford base32 (a ULID), so ids sort by creation time and cursor pagination
 * can order by id alone.
 */
public final class IdGenerator {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public IdGenerator(Clock clock) {
        this.clock = clock;
    }

    public String next(String prefix) {
        byte[] bytes = new byte[16];
        long millis = clock.millis();
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) (millis & 0xff);
            millis >>>= 8;
        }
        byte[] tail = new byte[10];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, bytes, 6, 10);
        return prefix + "-" + Base32.encode128(bytes);
    }
}
