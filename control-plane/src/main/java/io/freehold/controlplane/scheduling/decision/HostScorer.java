package io.freehold.controlplane.scheduling.decision;

/** Ranks a host that passed every filter; the highest score wins. */
interface HostScorer {

    double score(PlacementRequest request, HostSnapshot host);

    /**
     * How full the host would be with the request on it: the mean over vCPUs, memory and disk of
     * allocated ÷ allocatable, each dimension the host has any of.
     */
    static double fullnessAfter(PlacementRequest request, HostSnapshot host) {
        double sum = 0;
        int dimensions = 0;
        if (host.allocatable().vcpus() > 0) {
            sum += (double) (host.allocated().vcpus() + request.resources().vcpus()) / host.allocatable().vcpus();
            dimensions++;
        }
        if (host.allocatable().memoryMib() > 0) {
            sum += (double) (host.allocated().memoryMib() + request.resources().memoryMib()) / host.allocatable().memoryMib();
            dimensions++;
        }
        if (host.allocatable().diskGib() > 0) {
            sum += (double) (host.allocated().diskGib() + request.resources().diskGib()) / host.allocatable().diskGib();
            dimensions++;
        }
        return dimensions == 0 ? 0 : sum / dimensions;
    }
}
