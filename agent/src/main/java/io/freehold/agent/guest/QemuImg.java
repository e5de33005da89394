package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.freehold.agent.guest.GuestFailure.Code;

/**
 * The few things the agent does with {@code qemu-img} (Debian's {@code qemu-utils}): read an image's format and
 * virtual size, and grow it ({@link EmptyQcow2} creates new images). Every failure is a {@link Code#STORAGE} {@link GuestFailure} carrying
 * qemu-img's own complaint.
 */
final class QemuImg {

    /** What qemu-img says about an existing image. */
    record Image(String format, long virtualSizeBytes) {
    }

    /** Inspecting and resizing are metadata operations on a sparse file; a minute means something hangs. */
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final String executable;

    QemuImg(String executable) {
        this.executable = executable;
    }

    /**
     * {@code -U} (force share) lets qemu-img read an image that a running QEMU holds locked; reading the header is safe,
     * and without it inspecting a running guest's disk would fail.
     */
    Image info(Path file) throws GuestFailure {
        String json = run("info", "-U", "--output=json", file.toString());
        // JSON is YAML; the agent already ships a YAML parser, and the safe constructor builds only maps and scalars.
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
        if (parsed instanceof Map<?, ?> map && map.get("format") instanceof String format
                && map.get("virtual-size") instanceof Number size) {
            return new Image(format, size.longValue());
        }
        throw new GuestFailure(Code.STORAGE, "qemu-img info " + file + " gave no format and virtual size: " + json);
    }

    /** Grows the image's virtual size; the guest sees a larger disk and grows its partitions itself. */
    void grow(Path file, long sizeBytes) throws GuestFailure {
        run("resize", "-q", "-f", "qcow2", file.toString(), Long.toString(sizeBytes));
    }

    private String run(String... arguments) throws GuestFailure {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        String commandLine = String.join(" ", command);
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            // Output goes to files rather than pipes: nothing has to drain them while the timeout runs, and a chatty
            // qemu-img can never stall on a full pipe.
            stdout = Files.createTempFile("freehold-qemu-img-", ".out");
            stderr = Files.createTempFile("freehold-qemu-img-", ".err");
            try {
                process = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            } catch (IOException e) {
                throw new GuestFailure(Code.STORAGE, "cannot run " + executable + " (install Debian's qemu-utils): "
                        + e.getMessage(), e);
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new GuestFailure(Code.STORAGE, commandLine + " did not finish within " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new GuestFailure(Code.STORAGE, commandLine + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(stderr).strip());
            }
            return Files.readString(stdout);
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot run " + commandLine + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GuestFailure(Code.INTERNAL, "interrupted while running " + commandLine, e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temp file of a few bytes is not worth failing a guest operation for.
            }
        }
    }
}
