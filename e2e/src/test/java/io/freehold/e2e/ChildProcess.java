package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started, with its output in files, never in a pipe that could fill up and block it.
 * Killing it kills its descendants first (socat's per-connection children, say), so nothing it started
 * outlives the test.
 */
final class ChildProcess implements AutoCloseable {

    /** A JVM that got SIGTERM or SIGKILL is gone well within this, even on a loaded machine. */
    private static final Duration EXIT_AFTER_SIGNAL = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path output;

    private ChildProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code command} with standard output to {@code stdout} and standard error to {@code stderr}
     * (the same file for both is fine). No {@code FREEHOLD_*} variable of the test's own environment
     * reaches the process: a developer's shell must not configure what the test starts.
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path stdout, Path stderr)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stdout.equals(stderr)) {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        }
        builder.environment().keySet().removeIf(variable -> variable.startsWith("FREEHOLD_"));
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), stdout);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What it wrote to standard output so far. */
    String output() {
        try {
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** Waits for the process to end by itself and returns its exit status; fails with its output when it does not. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " did not exit within " + limit.toSeconds() + " s; its output:\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Waits until the process has written {@code text}; fails with its output when it exits first or the limit
     * passes.
     */
    void awaitOutput(String text, Duration limit) throws InterruptedException {
        Poll.until(name + " writes '" + text + "'", System.nanoTime(), limit, () -> {
            String written = output();
            if (!written.contains(text) && !process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " before it wrote '" + text + "'; its output:\n" + written);
            }
            return written.contains(text);
        }, Boolean::booleanValue);
    }

    /**
     * SIGKILL, as a crash or the OOM killer delivers it: no shutdown hook runs, no stream is closed cleanly.
     * {@code destroyForcibly} is SIGKILL on Linux; the exit status (128 + 9) proves the signal was the one sent.
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(EXIT_AFTER_SIGNAL.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " (pid " + process.pid() + ") survived SIGKILL for " + EXIT_AFTER_SIGNAL.toSeconds() + " s");
        }
        assertThat(process.exitValue()).as("exit status of %s: killed by SIGKILL", name).isEqualTo(128 + 9);
    }

    /**
     * SIGTERM, as a service manager stops it, and SIGKILL when it has not exited after a grace period.
     * Descendants still alive afterwards (orphans no longer under it) are killed too.
     */
    void stop() throws InterruptedException {
        // Taken first: once the process is gone its orphans no longer show up as its descendants.
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(EXIT_AFTER_SIGNAL.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_AFTER_SIGNAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
