/**
 * The agent's configuration: the YAML file an operator writes (control-plane addresses, state dir, guest storage,
 * libvirt URI, metrics address, KVM mode, reconnect tuning), read into one immutable {@link
 * io.freehold.agent.config.AgentConfig}. Parsing is pure: text in, value or a message naming the bad key out.
 */
package io.freehold.agent.config;
