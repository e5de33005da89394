package io.freehold.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short-lived system commands ({@code ip}, {@code virsh}) whose failure fails the test with what they printed. */
final class Command {

    /** {@code ip} and {@code virsh} answer in well under a second; this only stops a hung command from hanging the build. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** How a command ended: its exit status and what it wrote to standard output and error. */
    record Result(int status, String output) {
    }

    private Command() {
    }

    /** Runs {@code command} and returns its standard output; fails unless it exits with 0. */
    static String run(String... command) {
        return run(List.of(command));
    }

    static String run(List<String> command) {
        Result result = attempt(command);
        if (result.status() != 0) {
            fail(String.join(" ", command) + " exited with " + result.status() + ": " + result.output().strip());
        }
        return result.output();
    }

    /** Runs {@code command} and returns how it ended, whatever its exit status; fails only when it hangs. */
    static Result attempt(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // The output of these commands is small, so reading it to the end before waiting cannot block.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + LIMIT.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
