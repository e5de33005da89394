/**
 * The benchmarks (docs/performance.md). {@link io.freehold.bench.AgentLinkBenchmark} and
 * {@link io.freehold.bench.InstanceCreateBenchmark} start the packaged control plane as a child process
 * ({@link io.freehold.bench.ControlPlaneProcess}), then this JVM plays N hosts ({@link io.freehold.bench.AgentSimulator}):
 * each joins with a join token made through the ops REST API, using the real agent's join code, and holds one mutual-TLS
 * Connect stream that says Hello and heartbeats at the interval the Welcome names; in the instance benchmark each host
 * also carries out its commands with the agent's own CommandRunner on libvirt's test driver
 * ({@link io.freehold.bench.TestDriverHosts}) while clients create instances through the tenant API
 * ({@link io.freehold.bench.CreateLoad}). The placement benchmarks, the usage rollup benchmark
 * ({@link io.freehold.bench.UsageRollupBenchmark}) and the month close benchmark
 * ({@link io.freehold.bench.MonthCloseBenchmark}) run inside the control plane's jar instead. The
 * figures come from the control plane's own metrics ({@link io.freehold.bench.PrometheusScrape}), its database
 * ({@link io.freehold.bench.ControlPlaneDatabase}), {@code /proc} ({@link io.freehold.bench.CpuTime},
 * {@link io.freehold.bench.Machine}) and the benchmarks' own clocks. Nothing here asserts a timing: a benchmark prints
 * numbers.
 */
package io.freehold.bench;
