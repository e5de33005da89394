package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's own empty qcow2 images against qemu-img's: qemu-img finds nothing wrong with them, reads their size and
 * format, and they hold the same bytes as {@code qemu-img create -f qcow2} writes, except for the optional table of
 * feature names qemu-img adds after the header.
 */
class EmptyQcow2Test {

    private static final long GIB = 1L << 30;
    /** Where qemu-img's feature name table ends; ours has the end-of-extensions marker there instead. */
    private static final int HEADER_AND_EXTENSIONS = 0x10000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(longs = {1, 40, 512, 5 * 1024})
    void qemuImgAcceptsTheImageAndWritesTheSameBytes(long gib) throws Exception {
        Path ours = dir.resolve("ours.qcow2");
        Path theirs = dir.resolve("theirs.qcow2");

        EmptyQcow2.create(ours, gib * GIB);
        qemuImg("create", "-q", "-f", "qcow2", theirs.toString(), Long.toString(gib * GIB));

        assertThat(qemuImg("check", ours.toString())).contains("No errors were found on the image.");
        assertThat(new QemuImg("qemu-img").info(ours)).isEqualTo(new QemuImg.Image("qcow2", gib * GIB, "", ""));
        byte[] ourBytes = Files.readAllBytes(ours);
        byte[] theirBytes = Files.readAllBytes(theirs);
        assertThat(ourBytes.length).isEqualTo(theirBytes.length);
        assertThat(Arrays.copyOfRange(ourBytes, 0, 0x68)).as("header").isEqualTo(Arrays.copyOfRange(theirBytes, 0, 0x68));
        assertThat(Arrays.copyOfRange(ourBytes, HEADER_AND_EXTENSIONS, ourBytes.length)).as("refcounts and L1 table")
                .isEqualTo(Arrays.copyOfRange(theirBytes, HEADER_AND_EXTENSIONS, theirBytes.length));
        assertThat(qemuImg("compare", "-q", ours.toString(), theirs.toString())).as("same contents: none").isEmpty();
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Path file = Files.writeString(dir.resolve("root.qcow2"), "a guest's data");

        assertThatThrownBy(() -> EmptyQcow2.create(file, GIB)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("a guest's data");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, -512, 1000})
    void aSizeThatIsNotAPositiveMultipleOf512IsRefused(long size) {
        assertThatThrownBy(() -> EmptyQcow2.create(dir.resolve("root.qcow2"), size))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 512");
        assertThat(dir.resolve("root.qcow2")).doesNotExist();
    }

    private static String qemuImg(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output.strip();
    }
}
