package io.freehold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * The instance-create benchmark's figures over its window, from what was read at its start and at its end: the load's
 * counters, the control plane's request timers (from {@code /actuator/prometheus}) and the CPU time of every process
 * involved, and of the whole machine, from {@code /proc}.
 */
record CreateFigures(Snapshot before, Snapshot after) {

    private static final String REQUESTS = "http_server_requests_seconds";
    /** Micrometer's timers on the agent link's handler pool, which records the hosts' answers and reports, one stream's at a time. */
    private static final String HANDLER_RUN = "executor_seconds";
    private static final String HANDLER_WAIT = "executor_idle_seconds";
    private static final Map<String, String> AGENT_LINK_POOL = Map.of("name", "agentlink");
    /** The endpoints the load calls: the creates, and the watcher's lists and reads. */
    private static final Map<String, Map<String, String>> ENDPOINTS = Map.of(
            "POST /api/v1/instances", Map.of("method", "POST", "uri", "/api/v1/instances"),
            "GET /api/v1/instances", Map.of("method", "GET", "uri", "/api/v1/instances"),
            "GET /api/v1/instances/{instanceId}", Map.of("method", "GET", "uri", "/api/v1/instances/{instanceId}"));

    /** What is read at the start and at the end of the window. */
    record Snapshot(Instant at, long nanos, long accepted, long running, PrometheusScrape metrics, double controlPlaneCpu,
                    double postgresCpu, double benchCpu, double benchChildrenCpu, double machineCpu) {

        static Snapshot take(CreateLoad load, ControlPlaneProcess controlPlane, OpsClient ops) throws IOException, InterruptedException {
            ProcessHandle bench = ProcessHandle.current();
            return new Snapshot(Instant.now(), System.nanoTime(), load.accepted.sum(), load.running.sum(), ops.scrape(),
                    CpuTime.secondsOf(ProcessHandle.of(controlPlane.pid()).orElseThrow()),
                    controlPlane.postmaster().map(CpuTime::secondsOfTree).orElse(0.0),
                    CpuTime.secondsOf(bench), CpuTime.reapedChildrenSecondsOf(bench), Machine.busyCpuSeconds());
        }
    }

    double windowSeconds() {
        return (after.nanos() - before.nanos()) / 1e9;
    }

    double acceptedPerSecond() {
        return (after.accepted() - before.accepted()) / windowSeconds();
    }

    double runningPerSecond() {
        return (after.running() - before.running()) / windowSeconds();
    }

    /** Requests the control plane answered in the window per endpoint: how many, their mean, and the time they took together. */
    void printControlPlaneTime(PrintStream out) {
        StringBuilder line = new StringBuilder("control plane's request handling in the window:");
        ENDPOINTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(endpoint -> {
            double count = delta(REQUESTS + "_count", endpoint.getValue());
            double seconds = delta(REQUESTS + "_sum", endpoint.getValue());
            line.append(String.format(" %s %,.0f (%.1f/s, mean %.1f ms, %.2f s busy per s);", endpoint.getKey(), count,
                    count / windowSeconds(), count == 0 ? 0 : 1000 * seconds / count, seconds / windowSeconds()));
        });
        out.println(line);
    }

    /**
     * The agent link's handler pool in the window: each host's answers and lifecycle reports are recorded there one after
     * the other, a transaction each, and the stream asks for its next message only when the last is recorded.
     */
    void printAgentLink(PrintStream out) {
        double tasks = delta(HANDLER_RUN + "_count", AGENT_LINK_POOL);
        PrometheusScrape.Histogram wait = after.metrics().histogram(HANDLER_WAIT, AGENT_LINK_POOL)
                .since(before.metrics().histogram(HANDLER_WAIT, AGENT_LINK_POOL));
        out.printf("agent link's handler pool in the window: %.1f messages/s (the hosts' answers and reports among them), run mean %.1f ms, "
                        + "queue wait p50 %.1f ms, p99 %.1f ms%n", tasks / windowSeconds(),
                tasks == 0 ? 0 : 1000 * delta(HANDLER_RUN + "_sum", AGENT_LINK_POOL) / tasks, 1000 * wait.quantile(0.5),
                1000 * wait.quantile(0.99));
    }

    /**
     * CPU cores used in the window by each process. This JVM runs the hosts' agents (TLS, gRPC, command runners, guest
     * ledgers, libvirt's test driver) and the clients; the qemu-img runs that create the guests' disks are its children.
     * Whatever else the machine did in the window is what the machine used beyond these.
     */
    void printCpu(PrintStream out) {
        double window = windowSeconds();
        double controlPlane = (after.controlPlaneCpu() - before.controlPlaneCpu()) / window;
        double postgres = (after.postgresCpu() - before.postgresCpu()) / window;
        double qemuImg = (after.benchChildrenCpu() - before.benchChildrenCpu()) / window;
        double bench = (after.benchCpu() - before.benchCpu()) / window - qemuImg;
        double machine = (after.machineCpu() - before.machineCpu()) / window;
        out.printf("CPU cores used (of %d): control plane %.2f, PostgreSQL %.2f, agents and clients (this JVM) %.2f, qemu-img %.2f; "
                        + "the machine %.2f in all, so %.2f by other work%n", Runtime.getRuntime().availableProcessors(), controlPlane,
                postgres, bench, qemuImg, machine, machine - controlPlane - postgres - bench - qemuImg);
    }

    private double delta(String name, Map<String, String> labels) {
        return after.metrics().sum(name, labels) - before.metrics().sum(name, labels);
    }
}
