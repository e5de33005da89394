package io.freehold.agent.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The guest of the golden files, and a builder for tests that change one field of it. */
final class GuestSpecs {

    static final String INSTANCE_ID = "i-01jdbz6q5n3v7k2m4p9r8s1t2w";
    static final Path GUEST_DIR = Path.of("/var/lib/freehold/agent/guests", INSTANCE_ID);

    private GuestSpecs() {
    }

    static final Path IMAGES = Path.of("/var/lib/freehold/agent/images");
    static final GuestSpec.Seed SEED = new GuestSpec.Seed(GUEST_DIR.resolve("seed.iso"), "web-1",
            List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3k alice@laptop"), "");

    static Builder golden(DomainType type) {
        return new Builder().type(type);
    }

    /** The guest of guest/overlay.xml: a root disk on a cached qcow2 image, and a seed. */
    static Builder overlay() {
        return golden(DomainType.QEMU).seed(SEED).boot(new GuestSpec.Boot.Overlay("img-01jdc0debian12",
                IMAGES.resolve("3f0c6b1e9a7d4c2b8e5f1a0d9c8b7a6e5f4d3c2b1a0e9f8d7c6b5a4e3d2c1b0a")));
    }

    /** The guest of guest/kernel.xml: a cached kernel and initrd booted directly, an empty root disk, and a seed. */
    static Builder kernel() {
        return golden(DomainType.QEMU).seed(SEED).boot(new GuestSpec.Boot.Kernel("img-01jdc0tiny",
                IMAGES.resolve("9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
                IMAGES.resolve("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"),
                "console=ttyS0 root=/dev/vda quiet"));
    }

    static final class Builder {
        private String instanceId = INSTANCE_ID;
        private long generation = 3;
        private String tenantId = "t-01jdbyx4g7e2m9c5k8n3p6q1r0";
        private String name = "web-1";
        private DomainType type = DomainType.QEMU;
        private int vcpus = 2;
        private int memoryMib = 2048;
        private Path rootDiskPath = GUEST_DIR.resolve("root.qcow2");
        private int rootDiskGib = 20;
        private MacAddress mac = GuestIdentifiers.mac(INSTANCE_ID);
        private String network = GuestSpec.DEFAULT_NETWORK;
        private Path consoleLog = GUEST_DIR.resolve("console.log");
        private GuestSpec.Power power = GuestSpec.Power.RUNNING;
        private long rebootCount = 0;
        private Duration stopTimeout = Duration.ofSeconds(60);
        private GuestSpec.Boot boot = GuestSpec.Boot.BLANK;
        private GuestSpec.Seed seed;

        Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        Builder generation(long value) {
            generation = value;
            return this;
        }

        Builder tenantId(String value) {
            tenantId = value;
            return this;
        }

        Builder name(String value) {
            name = value;
            return this;
        }

        Builder type(DomainType value) {
            type = value;
            return this;
        }

        Builder vcpus(int value) {
            vcpus = value;
            return this;
        }

        Builder memoryMib(int value) {
            memoryMib = value;
            return this;
        }

        Builder rootDiskPath(Path value) {
            rootDiskPath = value;
            return this;
        }

        Builder rootDiskGib(int value) {
            rootDiskGib = value;
            return this;
        }

        Builder mac(MacAddress value) {
            mac = value;
            return this;
        }

        Builder network(String value) {
            network = value;
            return this;
        }

        Builder consoleLog(Path value) {
            consoleLog = value;
            return this;
        }

        Builder power(GuestSpec.Power value) {
            power = value;
            return this;
        }

        Builder rebootCount(long value) {
            rebootCount = value;
            return this;
        }

        Builder stopTimeout(Duration value) {
            stopTimeout = value;
            return this;
        }

        Builder boot(GuestSpec.Boot value) {
            boot = value;
            return this;
        }

        Builder seed(GuestSpec.Seed value) {
            seed = value;
            return this;
        }

        GuestSpec build() {
            return new GuestSpec(instanceId, generation, tenantId, name, type, vcpus, memoryMib,
                    new GuestSpec.RootDisk(rootDiskPath, rootDiskGib), mac, network, consoleLog, power, rebootCount,
                    stopTimeout, boot, Optional.ofNullable(seed));
        }
    }
}
