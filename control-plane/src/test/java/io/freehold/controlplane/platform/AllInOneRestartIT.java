package io.freehold.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.testing.ApiClient;
import io.freehold.controlplane.testing.ControlPlaneProcess;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * All-in-one mode as an operator lives it, on the packaged jar run as a child process exactly as
 * {@code scripts/all-in-one.sh} runs it: it comes up quickly, keeps its data and its bootstrap token
 * across a restart, stops cleanly (embedded PostgreSQL with it) on SIGTERM, and a stopped data
 * directory copied elsewhere is a working backup.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneRestartIT {

    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path home;
    @TempDir
    Path backup;
    @TempDir
    Path logs;

    private Server running;

    /** A control plane this test started, with what it needs to check its shutdown. */
    private record Server(Process process, Path home, int port, long postmasterPid) {
        ApiClient api() {
            return new ApiClient("http://127.0.0.1:" + port);
        }
    }

    @AfterEach
    void stopWhatIsStillRunning() throws InterruptedException {
        if (running != null && running.process().isAlive()) {
            running.process().destroy();
            if (!running.process().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                running.process().destroyForcibly();
            }
        }
    }

    /** Data and the bootstrap token survive a SIGTERM restart, and a stop–copy–start of the data dir is a backup. */
    @Test
    void dataAndTheBootstrapTokenSurviveARestartAndACopyOfTheStoppedDataDirectory() throws Exception {
        running = start("first start", home);
        Path tokenFile = home.resolve("admin.token");
        assertThat(tokenFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        String token = Files.readString(tokenFile).strip();
        String slug = Fixtures.unique("restart");
        String tenantId = running.api().post("/api/v1/ops/tenants", token, Map.of("name", "Survivor", "slug", slug))
                .expect(201).text("id");

        stopAndExpectACleanShutdown(running);
        running = start("restart", home);
        assertThat(Files.readString(tokenFile).strip()).as("admin.token after a restart").isEqualTo(token);
        assertThat(running.api().get("/api/v1/ops/tenants/" + tenantId, token).expect(200).text("slug")).isEqualTo(slug);

        stopAndExpectACleanShutdown(running);
        copyDirectory(home, backup);
        running = start("start on the copy", backup);
        assertThat(Files.readString(backup.resolve("admin.token")).strip()).isEqualTo(token);
        assertThat(running.api().get("/api/v1/ops/tenants/" + tenantId, token).expect(200).text("slug")).isEqualTo(slug);
        stopAndExpectACleanShutdown(running);
    }

    private Server start(String what, Path dataDirectory) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ControlPlaneProcess process = ControlPlaneProcess.start(dataDirectory, logs.resolve(what.replace(' ', '-') + ".log"), Map.of());
        Duration toUp = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("[AllInOneRestartIT] %s: /actuator/health UP after %.1f s%n", what, toUp.toMillis() / 1000.0);

        Path pidFile = dataDirectory.resolve("postgres").resolve("postmaster.pid");
        assertThat(pidFile).as("embedded PostgreSQL's pid file").exists();
        long postmasterPid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        return new Server(process.process(), dataDirectory, process.port(), postmasterPid);
    }

    /** SIGTERM, as {@code kill} or a service manager sends it; PostgreSQL must go down with the JVM, cleanly. */
    private static void stopAndExpectACleanShutdown(Server server) throws InterruptedException {
        server.process().destroy();
        assertThat(server.process().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("the control plane exits within %d s of SIGTERM", STOP_LIMIT.toSeconds()).isTrue();
        // PostgreSQL removes its pid file only on an orderly shutdown; a killed server leaves it behind.
        assertThat(server.home().resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        assertThat(awaitGone(server.postmasterPid()))
                .as("embedded PostgreSQL (pid %d) is gone after the control plane stopped", server.postmasterPid()).isTrue();
        String dataDirectory = server.home().resolve("postgres").toString();
        assertThat(ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(dataDirectory)).orElse(false)))
                .as("processes still using %s", dataDirectory).isEmpty();
    }

    /**
     * Waits a little for a process to disappear: the postmaster removes its pid file just before it
     * exits, and an orphan stays a zombie until init reaps it, which counts as gone.
     */
    private static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        while (System.nanoTime() < deadline) {
            if (!Files.exists(stat)) {
                return true;
            }
            try {
                String fields = Files.readString(stat);
                if (fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException exitedWhileReading) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** What the operator guide prescribes for a stopped all-in-one installation: {@code cp -a}. */
    private static void copyDirectory(Path from, Path to) throws IOException, InterruptedException {
        Process copy = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).inheritIO().start();
        assertThat(copy.waitFor()).as("exit status of cp -a").isZero();
    }
}
