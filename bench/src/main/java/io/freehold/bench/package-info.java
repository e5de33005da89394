/**
 * The agent-link benchmark (docs/performance.md). {@link io.freehold.bench.AgentLinkBenchmark} starts the packaged
 * control plane as a child process ({@link io.freehold.bench.ControlPlaneProcess}), then this JVM plays N hosts
 * ({@link io.freehold.bench.AgentSimulator}): each joins with a join token made through the ops REST API, using the
 * real agent's join code, and holds one mutual-TLS Connect stream that says Hello and heartbeats at the interval the
 * Welcome names. The figures come from the control plane's own metrics ({@link io.freehold.bench.PrometheusScrape}),
 * its database ({@link io.freehold.bench.ControlPlaneDatabase}), {@code /proc} ({@link io.freehold.bench.CpuTime})
 * and the simulator's clocks. Nothing here asserts a timing: a benchmark prints numbers.
 */
package io.freehold.bench;
