package io.freehold.controlplane.scheduling;

import java.util.List;

/**
 * A dry run's answer.
 *
 * @param fits a host has room and the quota allows it: creating the guest now would succeed
 * @param placement where it would go; absent when no host fits
 * @param explanation the sentence an instance's status would carry
 * @param rejections how many hosts each filter turned away, in the order the filters run
 */
record PlanAnswer(boolean fits, Placement placement, String explanation, int hostsConsidered, int hostsFit, List<Rejected> rejections,
                  QuotaVerdict quota) {

    record Placement(String siteId, String rackId, String hostId) {
    }

    record Rejected(String reason, int hosts) {
    }

    /** @param exceeded each dimension the guest would take past its limit */
    record QuotaVerdict(boolean fits, List<Exceeded> exceeded) {
    }

    record Exceeded(String dimension, long requested, long used, long limit) {
    }
}
