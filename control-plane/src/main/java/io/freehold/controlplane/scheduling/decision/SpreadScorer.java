package io.freehold.controlplane.scheduling.decision;

/** Prefers the emptiest host, spreading load and what one host failure takes down. */
final class SpreadScorer implements HostScorer {

    @Override
    public double score(PlacementRequest request, HostSnapshot host) {
        return -HostScorer.fullnessAfter(request, host);
    }
}
