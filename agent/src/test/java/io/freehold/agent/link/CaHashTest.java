package io.freehold.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.freehold.agent.testing.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaHashTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("hash test CA");

    @Test
    void matchesTheCertificateWhoseDerItHashes() {
        CaHash hash = CaHash.parse(CA.hash().toUpperCase().replace("SHA256:", "sha256:"));
        TestCertificateAuthority.Issued server = CA.serverIdentity();

        assertThat(hash.toString()).isEqualTo(CA.hash());
        assertThat(hash.matches(CA.certificate())).isTrue();
        assertThat(hash.matches(server.leaf())).isFalse();
        assertThat(hash.findIn(server.chain())).contains(CA.certificate());
        assertThat(hash.findIn(List.of(server.leaf()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256:", "sha1:0123", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"})
    void refusesWhatIsNotASha256(String text) {
        assertThatThrownBy(() -> CaHash.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256:<64 hex digits>");
    }
}
