package io.freehold.controlplane.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretTokenTest {

    @Test
    void aGeneratedTokenParsesBackAndMatchesOnlyItsOwnHash() {
        SecretToken secret = SecretToken.generate("fh");
        SecretToken parsed = SecretToken.parse("fh", secret.token()).orElseThrow();

        assertThat(parsed).isEqualTo(secret);
        assertThat(parsed.matches(secret.hash())).isTrue();
        assertThat(SecretToken.generate("fh").matches(secret.hash())).isFalse();
    }

    @Test
    void oneKindIsNeverAcceptedAsAnother() {
        SecretToken join = SecretToken.generate("fhj");
        assertThat(SecretToken.parse("fh", join.token())).isEmpty();
        assertThat(SecretToken.parse("fhj", join.token())).isPresent();
    }

    @Test
    void tokensAreNotRepeated() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(SecretToken.generate("fh").token())).isTrue();
        }
    }

    @Test
    void theSecretNeverAppearsInTheStringForm() {
        SecretToken secret = SecretToken.generate("fh");
        assertThat(secret.toString()).doesNotContain(secret.secret()).contains(secret.prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fh_", "fh_0000000000_", "fh_000000000_00000000000000000000000000000000",
            "fh_0000000000_0000000000000000000000000000000u", "xx_0000000000_00000000000000000000000000000000",
            "fh_0000000000_00000000000000000000000000000000 "})
    void malformedTokensDoNotParse(String token) {
        assertThat(SecretToken.parse("fh", token)).isEmpty();
    }
}
