package io.freehold.controlplane.scheduling.decision;

/** Prefers the fullest host that fits, so whole hosts stay free for large guests and for maintenance. */
final class BinPackScorer implements HostScorer {

    @Override
    public double score(PlacementRequest request, HostSnapshot host) {
        return HostScorer.fullnessAfter(request, host);
    }
}
