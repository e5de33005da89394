package io.freehold.controlplane.scheduling.decision;

/** One feasibility check; the planner chains them cheapest first and counts what each turns away. */
interface HostFilter {

    /** @return why the host cannot take the request, or null when this filter lets it through */
    Rejection reject(PlacementRequest request, HostSnapshot host);
}
