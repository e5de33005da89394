package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GuestSpecTest {

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                refused("blank instance id", b -> b.instanceId("  "), "instance id is blank"),
                refused("upper-case instance id", b -> b.instanceId("I-01"), "instance id 'I-01' is not a valid domain name"),
                refused("instance id with a slash", b -> b.instanceId("i-0/../../etc"), "is not a valid domain name"),
                refused("instance id ending with a hyphen", b -> b.instanceId("i-"), "is not a valid domain name"),
                refused("instance id of 64 characters", b -> b.instanceId("i" + "0".repeat(63)), "is not a valid domain name"),
                refused("generation 0", b -> b.generation(0), "generation must be at least 1, got 0"),
                refused("blank tenant id", b -> b.tenantId(""), "tenant id is blank"),
                refused("name with a line break", b -> b.name("web\n1"), "name contains the character U+000A at index 3"),
                refused("name with a NUL", b -> b.name("a\u0000"), "name contains the character U+0000"),
                refused("name with an unpaired surrogate", b -> b.name("x\uD800y"), "name contains the character U+D800"),
                refused("name of 256 characters", b -> b.name("n".repeat(256)), "name is 256 characters long, more than 255"),
                refused("0 vcpus", b -> b.vcpus(0), "vcpus must be between 1 and 255, got 0"),
                refused("256 vcpus", b -> b.vcpus(256), "vcpus must be between 1 and 255, got 256"),
                refused("63 MiB of memory", b -> b.memoryMib(63), "memory must be at least 64 MiB, got 63"),
                refused("relative root disk path", b -> b.rootDiskPath(Path.of("root.qcow2")), "root disk path 'root.qcow2' is not absolute"),
                refused("root disk of 0 GiB", b -> b.rootDiskGib(0), "root disk size must be at least 1 GiB, got 0"),
                refused("blank network", b -> b.network(" "), "network is blank"),
                refused("network with a space", b -> b.network("my net"), "network 'my net' is not a libvirt network name"),
                refused("relative console log path", b -> b.consoleLog(Path.of("console.log")), "console log path 'console.log' is not absolute"),
                refused("negative reboot count", b -> b.rebootCount(-1), "reboot count must not be negative, got -1"),
                refused("stop timeout under a second", b -> b.stopTimeout(Duration.ofMillis(999)), "stop timeout must be between PT1S and PT1H, got PT0.999S"),
                refused("stop timeout over an hour", b -> b.stopTimeout(Duration.ofMinutes(61)), "stop timeout must be between PT1S and PT1H, got PT1H1M"));
    }

    static Stream<Arguments> invalidBootsAndSeeds() {
        return Stream.of(
                refusedPart("image without an id", () -> new GuestSpec.Boot.Overlay(" ", Path.of("/base")), "image id is blank"),
                refusedPart("relative base image", () -> new GuestSpec.Boot.Overlay("img-1", Path.of("base")), "base image path 'base' is not absolute"),
                refusedPart("relative kernel", () -> new GuestSpec.Boot.Kernel("img-1", Path.of("vmlinuz"), Path.of("/i"), ""), "kernel path 'vmlinuz' is not absolute"),
                refusedPart("relative initrd", () -> new GuestSpec.Boot.Kernel("img-1", Path.of("/k"), Path.of("initrd"), ""), "initrd path 'initrd' is not absolute"),
                refusedPart("command line with a NUL", () -> new GuestSpec.Boot.Kernel("img-1", Path.of("/k"), Path.of("/i"), "a\u0000"), "kernel command line contains the character U+0000"),
                refusedPart("relative seed image", () -> new GuestSpec.Seed(Path.of("seed.iso"), "h", List.of(), ""), "seed image path 'seed.iso' is not absolute"));
    }

    private static Arguments refusedPart(String name, ThrowingCallable make, String message) {
        return arguments(named(name, make), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBootsAndSeeds")
    void refusesInvalidBootsAndSeedsSayingWhy(ThrowingCallable make, String message) {
        assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static Arguments refused(String name, UnaryOperator<GuestSpecs.Builder> change, String message) {
        return arguments(named(name, change), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void refusesInvalidSpecsSayingWhy(UnaryOperator<GuestSpecs.Builder> change, String message) {
        GuestSpecs.Builder builder = change.apply(GuestSpecs.golden(DomainType.KVM));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void acceptsTheLimits() {
        assertThat(GuestSpecs.golden(DomainType.QEMU).instanceId("a").vcpus(1).memoryMib(64).rootDiskGib(1)
                .rebootCount(0).stopTimeout(Duration.ofSeconds(1)).build()).isNotNull();
        assertThat(GuestSpecs.golden(DomainType.QEMU).rebootCount(Long.MAX_VALUE).stopTimeout(Duration.ofHours(1)).build()).isNotNull();
        assertThat(GuestSpecs.golden(DomainType.KVM).instanceId("i" + "0".repeat(62)).vcpus(255).name("").build()).isNotNull();
        assertThat(GuestSpecs.golden(DomainType.KVM).name("😀 \"web\" <1> & 'co'").network("br_ext-0.1").build()).isNotNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "52:54:00:12:34:5      | not six lower-case hex octets",
            "52:54:00:AB:CD:EF     | not six lower-case hex octets",
            "52-54-00-ab-cd-ef     | not six lower-case hex octets",
            "01:00:5e:00:00:01     | is a multicast address",
            "fe:54:00:ab:cd:ef     | starts with fe, which libvirt reserves for tap devices",
    })
    void refusesMacAddressesLibvirtWouldNotTake(String text, String message) {
        assertThatThrownBy(() -> new MacAddress(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
