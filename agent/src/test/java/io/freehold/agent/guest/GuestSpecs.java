package io.freehold.agent.guest;

import java.nio.file.Path;
import java.time.Duration;

/** The guest of the golden files, and a builder for tests that change one field of it. */
final class GuestSpecs {

    static final String INSTANCE_ID = "i-01jdbz6q5n3v7k2m4p9r8s1t2w";
    static final Path GUEST_DIR = Path.of("/var/lib/freehold/agent/guests", INSTANCE_ID);

    private GuestSpecs() {
    }

    static Builder golden(DomainType type) {
        return new Builder().type(type);
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

        GuestSpec build() {
            return new GuestSpec(instanceId, generation, tenantId, name, type, vcpus, memoryMib,
                    new GuestSpec.RootDisk(rootDiskPath, rootDiskGib), mac, network, consoleLog, power, rebootCount,
                    stopTimeout);
        }
    }
}
