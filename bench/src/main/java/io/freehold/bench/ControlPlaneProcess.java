package io.freehold.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The control plane under test: the packaged jar, run as operators run it in all-in-one mode, as a child process with
 * a data directory of its own. No {@code FREEHOLD_DB_*} reaches it, so it uses its embedded PostgreSQL, which runs
 * with fsync and synchronous_commit on. Both ports are free ones and both listen on loopback only. {@link #close()}
 * stops it with SIGTERM, then SIGKILL when it does not exit in time, and kills its PostgreSQL if that outlived it; so
 * does a shutdown hook when the benchmark's JVM exits first (Ctrl-C), so that no control plane outlives its benchmark.
 */
final class ControlPlaneProcess implements AutoCloseable {

    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path home;
    private final Path log;
    private final int httpPort;
    private final int agentPort;
    private final Thread stopOnExit = new Thread(this::close, "bench-stop-control-plane");

    private ControlPlaneProcess(Process process, Path home, Path log, int httpPort, int agentPort) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.httpPort = httpPort;
        this.agentPort = agentPort;
    }

    /**
     * Starts the jar and waits until {@code /actuator/health} is UP.
     *
     * @throws IllegalStateException when it exits or is not healthy within {@code startupLimit}; it is stopped then
     */
    static ControlPlaneProcess start(Path jar, Path home, List<String> jvmOptions, Duration startupLimit)
            throws IOException, InterruptedException {
        return start(jar, home, jvmOptions, Map.of(), startupLimit);
    }

    /** As {@link #start(Path, Path, List, Duration)}, with more environment, e.g. the local agent's jar. */
    static ControlPlaneProcess start(Path jar, Path home, List<String> jvmOptions, Map<String, String> extraEnvironment,
                                     Duration startupLimit) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no control-plane jar at " + jar + "; build it first (mvn -B package -DskipTests)");
        }
        Files.createDirectories(home);
        int httpPort = freePort();
        int agentPort = freePort();
        Path log = home.resolve("control-plane.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.add("--freehold.agentlink.bind-address=127.0.0.1");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        List.of("FREEHOLD_DB_URL", "FREEHOLD_DB_USER", "FREEHOLD_DB_PASSWORD").forEach(environment::remove);
        environment.put("FREEHOLD_HOME", home.toAbsolutePath().toString());
        environment.put("FREEHOLD_PORT", Integer.toString(httpPort));
        environment.put("FREEHOLD_AGENT_PORT", Integer.toString(agentPort));
        environment.put("FREEHOLD_BIND_ADDRESS", "127.0.0.1");
        environment.putAll(extraEnvironment);
        ControlPlaneProcess started = new ControlPlaneProcess(builder.start(), home, log, httpPort, agentPort);
        Runtime.getRuntime().addShutdownHook(started.stopOnExit);
        try {
            started.awaitHealthy(startupLimit);
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private void awaitHealthy(Duration limit) throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(apiBase() + "/actuator/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the control plane exited with status " + process.exitValue()
                        + " before it was healthy; its log is " + log);
            }
            try {
                HttpResponse<String> response = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP port opens late in startup; keep polling
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the control plane was not healthy within " + limit.toSeconds() + " s; its log is " + log);
    }

    String apiBase() {
        return "http://127.0.0.1:" + httpPort;
    }

    int agentPort() {
        return agentPort;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The bootstrap ops admin's API token, which all-in-one mode writes to {@code $FREEHOLD_HOME/admin.token}. */
    String adminToken() throws IOException {
        return Files.readString(home.resolve("admin.token")).strip();
    }

    /** The embedded PostgreSQL's postmaster, from its pid file; empty once it is gone. */
    Optional<ProcessHandle> postmaster() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid"));
            return ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException noServer) {
            return Optional.empty();
        }
    }

    /** The embedded PostgreSQL's port, line 4 of its pid file. */
    int postgresPort() throws IOException {
        return Integer.parseInt(Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid")).get(3).strip());
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Called by that very hook: the JVM is exiting, and this stops the control plane, which is what the hook is for.
        }
        Optional<ProcessHandle> postmaster = postmaster();
        process.destroy();
        try {
            if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // A control plane that was killed leaves its PostgreSQL running; this one is ours (its pid file is in our home).
        postmaster.filter(ProcessHandle::isAlive).ifPresent(server -> {
            server.destroy();
            try {
                server.onExit().get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                server.destroyForcibly();
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
