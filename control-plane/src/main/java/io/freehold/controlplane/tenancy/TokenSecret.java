package io.freehold.controlplane.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.ids.Base32;

/**
 * An API token as the client holds it: {@code fh_<prefix>_<secret>}. The prefix is public and finds the
 * stored row; only a SHA-256 of the 160-bit secret is stored. A fast hash is enough here, unlike for
 * passwords: the secret is random, so there is nothing to guess from a stolen hash.
 */
record TokenSecret(String prefix, String secret) {

    private static final Pattern SHAPE = Pattern.compile("fh_([0-9a-hjkmnp-tv-z]{10})_([0-9a-hjkmnp-tv-z]{32})");
    private static final SecureRandom RANDOM = new SecureRandom();

    static TokenSecret generate() {
        byte[] prefix = new byte[7];
        byte[] secret = new byte[20];
        RANDOM.nextBytes(prefix);
        RANDOM.nextBytes(secret);
        return new TokenSecret(Base32.encodeBits(prefix, 10), Base32.encodeBits(secret, 32));
    }

    static Optional<TokenSecret> parse(String token) {
        Matcher matcher = SHAPE.matcher(token);
        return matcher.matches() ? Optional.of(new TokenSecret(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    String token() {
        return "fh_" + prefix + "_" + secret;
    }

    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
    boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), storedHash);
    }

    @Override
    public String toString() {
        return "TokenSecret[prefix=" + prefix + ", secret=<hidden>]";
    }
}
