package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void aNewKeyFileIsReadableByItsOwnerOnlyAndRoundTrips() throws IOException {
        Path file = dir.resolve("ca.key");
        CaKeyFile key = CaKeyFile.load(file, true);
        byte[] secret = "the CA's private key".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = key.encrypt(secret);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private key");
        assertThat(CaKeyFile.load(file, false).decrypt(sealed)).isEqualTo(secret);
    }

    @Test
    void anotherKeyCannotOpenTheCaKey() {
        byte[] sealed = CaKeyFile.load(dir.resolve("a.key"), true).encrypt(new byte[] {1, 2, 3});
        CaKeyFile other = CaKeyFile.load(dir.resolve("b.key"), true);

        assertThatThrownBy(() -> other.decrypt(sealed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("b.key");
    }

    @Test
    void aMissingKeyFileIsNotInventedForAnExistingCa() {
        assertThatThrownBy(() -> CaKeyFile.load(dir.resolve("missing.key"), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing.key")
                .hasMessageContaining("already has a CA");
    }

    @Test
    void aKeyFileOfTheWrongSizeIsRefused() throws IOException {
        Path file = dir.resolve("short.key");
        Files.writeString(file, "c2hvcnQ=\n");
        assertThatThrownBy(() -> CaKeyFile.load(file, false)).hasMessageContaining("32 bytes");
    }
}
