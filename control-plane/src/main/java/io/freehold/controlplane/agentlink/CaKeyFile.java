package io.freehold.controlplane.agentlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import io.freehold.controlplane.platform.security.AesGcm;

/**
 * The operator's key file: 32 random bytes, base64, mode 0600. It encrypts the CA's private key with
 * AES-256-GCM; a wrong key fails authentication instead of yielding garbage.
 */
final class CaKeyFile {

    private static final byte[] CONTEXT = "freehold-ca-key-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final Path file;

    private CaKeyFile(byte[] key, Path file) {
        this.key = new SecretKeySpec(key, "AES");
        this.file = file;
    }

    /** Reads the key file, or creates it when {@code mayCreate} (the installation has no CA yet). */
    static CaKeyFile load(Path file, boolean mayCreate) {
        try {
            if (Files.exists(file)) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                if (key.length != 32) {
                    throw new IllegalStateException("CA key file " + file + " must hold 32 bytes in base64");
                }
                return new CaKeyFile(key, file);
            }
            if (!mayCreate) {
                throw new IllegalStateException("CA key file " + file + " is missing, but this installation already has a CA; "
                        + "copy the key file from another replica (freehold.agentlink.ca-key-file)");
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new CaKeyFile(key, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the CA key file " + file, e);
        }
    }

    byte[] encrypt(byte[] plain) {
        return AesGcm.seal(key, plain, CONTEXT);
    }

    byte[] decrypt(byte[] sealed) {
        try {
            return AesGcm.open(key, sealed, CONTEXT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the CA key file " + file + " does not decrypt this installation's CA key; "
                    + "is it the file this installation was created with?", e);
        }
    }
}
