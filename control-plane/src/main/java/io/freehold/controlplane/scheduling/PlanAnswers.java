package io.freehold.controlplane.scheduling;

import java.util.List;

import io.freehold.controlplane.scheduling.decision.Explanation;

/** A dry run as the API answers it. */
final class PlanAnswers {

    private PlanAnswers() {
    }

    static PlanAnswer of(Placements.DryRun run) {
        Explanation explanation = run.explanation();
        PlanAnswer.Placement placement = run.host()
                .map(host -> new PlanAnswer.Placement(host.siteId(), host.rackId(), host.hostId()))
                .orElse(null);
        List<PlanAnswer.Rejected> rejections = explanation.rejections().entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .map(entry -> new PlanAnswer.Rejected(entry.getKey().label(), entry.getValue()))
                .toList();
        List<PlanAnswer.Exceeded> exceeded = run.quotaShortfalls().stream()
                .map(shortfall -> new PlanAnswer.Exceeded(shortfall.dimension(), shortfall.requested(), shortfall.used(), shortfall.limit()))
                .toList();
        return new PlanAnswer(placement != null && exceeded.isEmpty(), placement, explanation.summary(), explanation.hostsConsidered(),
                explanation.hostsFit(), rejections, new PlanAnswer.QuotaVerdict(exceeded.isEmpty(), exceeded));
    }
}
