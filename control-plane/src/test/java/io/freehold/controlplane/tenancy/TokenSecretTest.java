package io.freehold.controlplane.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSecretTest {

    @Test
    void aGeneratedTokenParsesBackAndMatchesOnlyItsOwnHash() {
        TokenSecret secret = TokenSecret.generate();
        TokenSecret parsed = TokenSecret.parse(secret.token()).orElseThrow();

        assertThat(parsed).isEqualTo(secret);
        assertThat(parsed.matches(secret.hash())).isTrue();
        assertThat(TokenSecret.generate().matches(secret.hash())).isFalse();
    }

    @Test
    void tokensAreNotRepeated() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(TokenSecret.generate().token())).isTrue();
        }
    }

    @Test
    void theSecretNeverAppearsInTheStringForm() {
        TokenSecret secret = TokenSecret.generate();
        assertThat(secret.toString()).doesNotContain(secret.secret()).contains(secret.prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fh_", "fh_0000000000_", "fh_000000000_00000000000000000000000000000000",
            "fh_0000000000_0000000000000000000000000000000u", "xx_0000000000_00000000000000000000000000000000",
            "fh_0000000000_00000000000000000000000000000000 "})
    void malformedTokensDoNotParse(String token) {
        assertThat(TokenSecret.parse(token)).isEmpty();
    }
}
