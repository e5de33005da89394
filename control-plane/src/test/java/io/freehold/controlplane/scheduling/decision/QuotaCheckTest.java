package io.freehold.controlplane.scheduling.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.QuotaCheck.Shortfall;
import io.freehold.controlplane.tenancy.QuotaLimits;
import io.freehold.controlplane.tenancy.QuotaUsed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotaCheckTest {

    private static final QuotaLimits LIMITS = new QuotaLimits(16, 32_768L, 500L, 4);

    @ParameterizedTest(name = "{0}: using {1} vCPUs, {2} MiB, {3} GiB, {4} instances and asking {5}/{6}/{7}/{8} passes {9}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "nothing used                 | 0  | 0     | 0   | 0 | 4  | 8192  | 100 | 1 | -",
            "exactly up to every limit    | 12 | 24576 | 400 | 3 | 4  | 8192  | 100 | 1 | -",
            "one vCPU too many            | 13 | 0     | 0   | 0 | 4  | 1024  | 10  | 1 | vcpus",
            "memory is named as the field | 0  | 32000 | 0   | 0 | 1  | 1024  | 10  | 1 | memoryMib",
            "the instance count           | 0  | 0     | 0   | 4 | 1  | 1024  | 10  | 1 | instances",
            "not an instance: no count    | 0  | 0     | 0   | 4 | 1  | 1024  | 10  | 0 | -",
            "several: the first is named  | 16 | 32768 | 500 | 4 | 1  | 1     | 1   | 1 | vcpus",
            "a limit lowered below usage  | 20 | 0     | 0   | 0 | 1  | 1     | 0   | 0 | vcpus",
    })
    void aRequestFitsWhenEveryDimensionStaysWithinItsLimit(String situation, int usedVcpus, long usedMemory, long usedDisk, int usedInstances,
                                                            int vcpus, long memory, long disk, int instances, String firstExceeded) {
        var shortfalls = QuotaCheck.shortfalls(LIMITS, new QuotaUsed(usedVcpus, usedMemory, usedDisk, usedInstances),
                new Resources(vcpus, memory, disk), instances);

        if (firstExceeded == null) {
            assertThat(shortfalls).isEmpty();
        } else {
            assertThat(shortfalls).first().extracting(Shortfall::dimension).isEqualTo(firstExceeded);
        }
    }
}
