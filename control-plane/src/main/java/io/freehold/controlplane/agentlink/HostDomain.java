package io.freehold.controlplane.agentlink;

/**
 * A domain named like an instance, as a host listed it in a Hello.
 *
 * @param owner      {@code freehold} when its Freehold metadata names this instance, {@code foreign} otherwise
 * @param generation the spec generation a Freehold domain records; null for a foreign one
 * @param reason     why the agent thinks a foreign domain is not Freehold's; null for Freehold's own
 */
record HostDomain(String name, String owner, Long generation, String power, String reason) {

    static final String FREEHOLD = "freehold";
    static final String FOREIGN = "foreign";
}
