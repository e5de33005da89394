/**
 * What the agent measures about its host: CPU, memory, storage, OS, hypervisor and KVM facts for Hello and Join, and
 * utilisation for heartbeats. Each /proc or /etc file is read in one place and parsed by a small pure parser (text
 * in, value out) that tests feed with fixture text; libvirt is reached only through {@link
 * io.freehold.agent.facts.LibvirtProbe}, which degrades to "unknown" instead of failing.
 */
package io.freehold.agent.facts;
