package io.freehold.controlplane.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.spec.SecretKeySpec;

import io.freehold.controlplane.platform.security.AesGcm;

/**
 * A client's Idempotency-Key, which only the client knows. The database keeps a hash of it for
 * lookups, and stored answers are sealed with AES-256-GCM under a key derived from it, so a stored
 * answer that carries a one-time secret (a new API token, say) is unreadable to anyone holding only a
 * copy of the database. The two derivations use different labels: the stored hash gives no way to
 * the sealing key.
 */
final class IdempotencyKey {

    private final byte[] lookupHash;
    private final SecretKeySpec sealingKey;

    IdempotencyKey(String callerId, String key) {
        this.lookupHash = sha256("freehold-idempotency-lookup-v1\n" + callerId + "\n" + key);
        this.sealingKey = new SecretKeySpec(sha256("freehold-idempotency-seal-v1\n" + callerId + "\n" + key), "AES");
    }

    byte[] lookupHash() {
        return lookupHash.clone();
    }

    String lookupHex() {
        return HexFormat.of().formatHex(lookupHash);
    }

    byte[] seal(byte[] plain, String context) {
        return AesGcm.seal(sealingKey, plain, context.getBytes(StandardCharsets.UTF_8));
    }

    byte[] open(byte[] sealed, String context) {
        try {
            return AesGcm.open(sealingKey, sealed, context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored answer does not open with its Idempotency-Key", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
