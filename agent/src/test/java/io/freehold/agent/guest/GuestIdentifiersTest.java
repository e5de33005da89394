package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuestIdentifiersTest {

    /** Expected values computed independently, with Python's uuid.uuid5 and hashlib.sha256. */
    static Stream<Arguments> pinnedValues() {
        return Stream.of(
                arguments(named("a control-plane instance id", GuestSpecs.INSTANCE_ID),
                        "6efb1962-4965-5760-bbb5-5450167cfada", "12:d7:9d:6d:e8:b1"),
                arguments(named("non-ASCII text is hashed as UTF-8", "é"),
                        "9187a594-7302-5d7e-85b2-659a9f706e74", "12:4a:99:55:7e:40"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedValues")
    void derivesTheValuesOfRecord(String instanceId, String uuid, String mac) {
        assertThat(GuestIdentifiers.domainUuid(instanceId)).hasToString(uuid);
        assertThat(GuestIdentifiers.mac(instanceId)).hasToString(mac);
    }

    @Test
    void uuidV5MatchesTheRfcExample() {
        UUID dnsNamespace = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        assertThat(GuestIdentifiers.uuidV5(dnsNamespace, "www.example.com")).hasToString("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GuestSpecs.INSTANCE_ID, "a", "i-0", "web-1",
            "i-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
    void identifiersAreStableAndWellFormed(String instanceId) {
        UUID uuid = GuestIdentifiers.domainUuid(instanceId);
        MacAddress mac = GuestIdentifiers.mac(instanceId);

        assertThat(GuestIdentifiers.domainUuid(instanceId)).as("same id, same uuid").isEqualTo(uuid);
        assertThat(GuestIdentifiers.mac(instanceId)).as("same id, same mac").isEqualTo(mac);
        assertThat(uuid.version()).as("name-based with SHA-1").isEqualTo(5);
        assertThat(uuid.variant()).as("the RFC variant").isEqualTo(2);
        assertThat(mac.text()).matches("12(:[0-9a-f]{2}){5}");
        int firstOctet = HexFormat.fromHexDigits(mac.text(), 0, 2);
        assertThat(firstOctet & 0x02).as("locally administered bit").isEqualTo(0x02);
        assertThat(firstOctet & 0x01).as("multicast bit").isZero();
    }

    @Test
    void differentIdsGetDifferentValues() {
        Set<UUID> uuids = new HashSet<>();
        Set<MacAddress> macs = new HashSet<>();
        IntStream.range(0, 20_000).mapToObj(n -> "i-" + n).forEach(id -> {
            uuids.add(GuestIdentifiers.domainUuid(id));
            macs.add(GuestIdentifiers.mac(id));
        });

        assertThat(uuids).hasSize(20_000);
        assertThat(macs).hasSize(20_000);
        assertThat(GuestIdentifiers.domainUuid("i-a")).isNotEqualTo(GuestIdentifiers.domainUuid("i-A"));
    }

    @Test
    void anEmptyIdHasNoIdentifiers() {
        assertThatThrownBy(() -> GuestIdentifiers.mac("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-empty instance id");
        assertThatThrownBy(() -> GuestIdentifiers.domainUuid(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
