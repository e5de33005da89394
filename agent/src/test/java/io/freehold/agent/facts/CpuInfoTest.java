package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuInfoTest {

    @ParameterizedTest(name = "{0}: {1}, {2} cores, {3} threads")
    @CsvSource(delimiter = '|', value = {
            // This project's build machine: one socket, two cores, no hyper-threading.
            "cpuinfo-amd-epyc-vm.txt | AMD EPYC                                  | 2 | 2",
            // Two sockets with two hyper-threaded cores each: core ids repeat across sockets.
            "cpuinfo-xeon-2s-ht.txt  | Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz  | 4 | 8",
            // No topology and no model name: cores fall back to threads, the model to the board's Hardware line.
            "cpuinfo-arm64.txt       | BCM2835                                   | 4 | 4",
    })
    void countsPhysicalCoresAndLogicalThreads(String fixture, String model, int cores, int threads) {
        assertThat(CpuInfo.parse(Fixtures.read(fixture))).isEqualTo(new CpuInfo(model, cores, threads));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                              | '' | 0 | 0",
            "'processor : 0'                                 | '' | 1 | 1",
            "'processor : 0\nmodel name : X\ncore id : 0'    | X  | 1 | 1",
    })
    void degradesGracefully(String text, String model, int cores, int threads) {
        assertThat(CpuInfo.parse(text.replace("\\n", "\n"))).isEqualTo(new CpuInfo(model, cores, threads));
    }
}
