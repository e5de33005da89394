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
 * The few things the agent does with {@code qemu-img} (Debian's {@code qemu-utils}): read an image's format, virtual
 * size and the other files it refers to, create an overlay on a base image, and grow an image ({@link EmptyQcow2}
 * creates empty ones). Every failure is a {@link Code#STORAGE} {@link GuestFailure} carrying
 * qemu-img's own complaint.
 */
final class QemuImg {

    /**
     * What qemu-img says about an existing image.
     *
     * @param backingFile the backing file as the image names it, empty for none
     * @param dataFile    the external data file of a qcow2 image (its guest data lives there), empty for none
     */
    record Image(String format, long virtualSizeBytes, String backingFile, String dataFile) {
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
            String backing = map.get("backing-filename") instanceof String name ? name : "";
            String dataFile = map.get("format-specific") instanceof Map<?, ?> specific
                    && specific.get("data") instanceof Map<?, ?> data && data.get("data-file") instanceof String name ? name : "";
            return new Image(format, size.longValue(), backing, dataFile);
        }
        throw new GuestFailure(Code.STORAGE, "qemu-img info " + file + " gave no format and virtual size: " + json);
    }

    /**
     * Creates {@code file}, which must not exist, as a qcow2 image of {@code sizeBytes} whose backing file is the qcow2
     * image {@code base}, named by its absolute path so the overlay does not depend on where it is opened from. Stating
     * the backing format keeps QEMU from probing it, which could take a crafted raw image for something else.
     */
    void createOverlay(Path base, Path file, long sizeBytes) throws GuestFailure {
        run("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toAbsolutePath().toString(), file.toString(),
                Long.toString(sizeBytes));
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
