package io.freehold.controlplane.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.ids.Base32;

/**
 * A secret as its holder writes it: {@code <kind>_<prefix>_<secret>}, e.g. an API token
 * {@code fh_…} or an agent join token {@code fhj_…}. The prefix is public and finds the stored row;
 * only a SHA-256 of the 160-bit secret is stored. A fast hash is enough here, unlike for passwords:
 * the secret is random, so there is nothing to guess from a stolen hash.
 *
 * @param kind what the secret opens, so that one kind is never accepted as another
 */
public record SecretToken(String kind, String prefix, String secret) {

    private static final Pattern SHAPE = Pattern.compile("([a-z]{1,8})_([0-9a-hjkmnp-tv-z]{10})_([0-9a-hjkmnp-tv-z]{32})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public static SecretToken generate(String kind) {
        byte[] prefix = new byte[7];
        byte[] secret = new byte[20];
        RANDOM.nextBytes(prefix);
        RANDOM.nextBytes(secret);
        return new SecretToken(kind, Base32.encodeBits(prefix, 10), Base32.encodeBits(secret, 32));
    }

    /** @return the parsed token when it is well-formed and of {@code kind} */
    public static Optional<SecretToken> parse(String kind, String token) {
        Matcher matcher = SHAPE.matcher(token);
        if (!matcher.matches() || !matcher.group(1).equals(kind)) {
            return Optional.empty();
        }
        return Optional.of(new SecretToken(kind, matcher.group(2), matcher.group(3)));
    }

    public String token() {
        return kind + "_" + prefix + "_" + secret;
    }

    public byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), storedHash);
    }

    @Override
    public String toString() {
        return "SecretToken[" + kind + "_" + prefix + "_<hidden>]";
    }
}
