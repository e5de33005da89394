package io.freehold.controlplane.metering;

/**
 * The query parameters of both usage endpoints, as sent; {@link UsageQuery#parse} checks them. Any may be absent
 * (null).
 */
record UsageParameters(String from, String to, String granularity, String meter, String resourceId) {
}
