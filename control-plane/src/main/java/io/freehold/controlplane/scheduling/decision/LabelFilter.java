package io.freehold.controlplane.scheduling.decision;

import java.util.Map;

/** Third: a few map lookups, and only for requests that name labels. */
final class LabelFilter implements HostFilter {

    @Override
    public Rejection reject(PlacementRequest request, HostSnapshot host) {
        for (Map.Entry<String, String> required : request.requiredLabels().entrySet()) {
            if (!required.getValue().equals(host.labels().get(required.getKey()))) {
                return Rejection.MISSING_LABELS;
            }
        }
        return null;
    }
}
