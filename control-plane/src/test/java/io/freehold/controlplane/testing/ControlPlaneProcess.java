package io.freehold.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * The packaged control plane run as a child process in all-in-one mode, exactly as
 * {@code scripts/all-in-one.sh} runs it, on free ports and a data directory of the test's own. The jar
 * comes from the {@code freehold.jar} system property, which failsafe sets after {@code package}.
 */
public record ControlPlaneProcess(Process process, Path home, int port, Path log) {

    /** Far above the usual 5–10 s: a loaded 2-core CI machine must not fail a start that is merely slow. */
    public static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Starts the jar and returns once {@code /actuator/health} is UP, failing with the log when it does not come up. */
    public static ControlPlaneProcess start(Path home, Path log, Map<String, String> extraEnvironment)
            throws IOException, InterruptedException {
        return start(home, log, extraEnvironment, List.of());
    }

    /** {@link #start(Path, Path, Map)} with options for the JVM, such as {@code -Xmx256m}. */
    public static ControlPlaneProcess start(Path home, Path log, Map<String, String> extraEnvironment, List<String> jvmOptions)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar("freehold.jar", "target/freehold-control-plane.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        // All-in-one means the embedded database, whatever the developer's shell has configured.
        List.of("FREEHOLD_DB_URL", "FREEHOLD_DB_USER", "FREEHOLD_DB_PASSWORD", "FREEHOLD_AGENT_JAR").forEach(environment::remove);
        environment.put("FREEHOLD_HOME", home.toString());
        environment.put("FREEHOLD_PORT", Integer.toString(port));
        environment.put("FREEHOLD_BIND_ADDRESS", "127.0.0.1");
        environment.put("FREEHOLD_AGENT_PORT", Integer.toString(freePort()));
        environment.put("FREEHOLD_AGENT_METRICS_ADDRESS", "127.0.0.1:0");
        environment.putAll(extraEnvironment);
        ControlPlaneProcess started = new ControlPlaneProcess(builder.start(), home, port, log);
        started.awaitHealthUp();
        return started;
    }

    /** A jar a module before this one's tests built, named by a system property failsafe sets. */
    public static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback));
        assertThat(jar).as("%s (run through 'mvn verify')", jar).isRegularFile();
        return jar.toAbsolutePath();
    }

    public ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    public String adminToken() throws IOException {
        return Files.readString(home.resolve("admin.token")).strip();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitHealthUp() throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the control plane exited with status " + process.exitValue() + " before it was healthy:\n" + output());
            }
            try {
                HttpResponse<String> response = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the port opens late in startup; keep polling
            }
            Thread.sleep(100);
        }
        fail("no healthy control plane within " + STARTUP_LIMIT.toSeconds() + " s; its log:\n" + output());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
