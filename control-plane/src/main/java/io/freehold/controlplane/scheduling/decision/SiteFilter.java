package io.freehold.controlplane.scheduling.decision;

/** Second: one string comparison, and a site-bound request rules out whole sites at once. */
final class SiteFilter implements HostFilter {

    @Override
    public Rejection reject(PlacementRequest request, HostSnapshot host) {
        return request.siteId() == null || request.siteId().equals(host.siteId()) ? null : Rejection.OTHER_SITE;
    }
}
