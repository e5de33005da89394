package io.freehold.controlplane.scheduling.decision;

import static io.freehold.controlplane.scheduling.decision.TestHosts.host;
import static io.freehold.controlplane.scheduling.decision.TestHosts.withAllocated;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether an allocation can change size on the host that holds it: only growth needs room. */
class ResizeCheckTest {

    /** 16 vCPUs, 16 GiB, 500 GiB allocatable; the allocation being resized holds 2 vCPUs, 2 GiB, 20 GiB of what is allocated. */
    private static final HostSnapshot HOST = withAllocated(host("h-1", "r-1", 16, 16_384, 500), 12, 14_336, 400);
    private static final Resources HELD = new Resources(2, 2048, 20);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("growth within what is free fits", HOST, new Resources(5, 3072, 60), List.of()),
                Arguments.of("growth to exactly what is free fits", HOST, new Resources(6, 4096, 120), List.of()),
                Arguments.of("shrinking fits", HOST, new Resources(1, 1024, 20), List.of()),
                Arguments.of("one resource past what is free is named", HOST, new Resources(2, 6144, 20), List.of("memoryMib")),
                Arguments.of("every short resource is named, in order", HOST, new Resources(8, 6144, 200),
                        List.of("vcpus", "memoryMib", "diskGib")),
                Arguments.of("growing one resource while shrinking another: only the growth counts", HOST, new Resources(1, 4096, 20), List.of()),
                Arguments.of("a shrink fits even on an overcommitted host", withAllocated(HOST, 20, 20_000, 600), new Resources(1, 1024, 20),
                        List.of()),
                Arguments.of("the same size fits on an overcommitted host", withAllocated(HOST, 20, 20_000, 600), HELD, List.of()),
                Arguments.of("a cordoned host, not taking new guests, still lets its guest grow",
                        new HostSnapshot("h-1", TestHosts.SITE, "r-1", HostState.UNREACHABLE, true, Map.of(), HOST.allocatable(),
                                HOST.allocated(), 3), new Resources(4, 4096, 40), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyGrowthNeedsRoom(String name, HostSnapshot host, Resources wanted, List<String> lacking) {
        assertThat(ResizeCheck.shortfalls(host, HELD, wanted)).extracting(ResizeCheck.Shortfall::dimension).containsExactlyElementsOf(lacking);
    }

    @Test
    void theExplanationSaysWhichResourceIsShortOnWhichHostByHowMuch() {
        List<ResizeCheck.Shortfall> shortfalls = ResizeCheck.shortfalls(HOST, HELD, new Resources(8, 8192, 20));

        assertThat(ResizeCheck.explanation("h-1", shortfalls)).isEqualTo("h-1 cannot hold the new size: "
                + "insufficient vCPUs (needs 6 vCPUs more but 4 vCPUs are free), insufficient memory (needs 6144 MiB more but 2048 MiB are free)");
        List<ResizeCheck.Shortfall> overcommitted = ResizeCheck.shortfalls(withAllocated(HOST, 12, 17_384, 400), HELD, new Resources(2, 3072, 20));
        assertThat(overcommitted).singleElement().extracting(ResizeCheck.Shortfall::message)
                .isEqualTo("needs 1024 MiB more but none are free (the host is overcommitted by 1000 MiB)");
    }
}
