package io.freehold.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;

/**
 * What these tests need from the machine, which {@code scripts/test.sh} installs and starts. Missing
 * outside CI, a test is skipped with the reason; under {@code CI=true} it fails, because a skipped
 * test would pass for a proof it is not.
 */
final class Preconditions {

    private Preconditions() {
    }

    /** Root (network namespaces need it) and the commands the test runs. */
    static void requireRootAndCommands(String... commands) throws IOException {
        requireRoot("to create network namespaces");
        requireCommands(commands);
    }

    /**
     * libvirt's system daemon ({@code qemu:///system}) with its {@code default} network active, and root, which an agent
     * driving that daemon needs. {@code scripts/test.sh} starts both and then says so in {@code FREEHOLD_TEST_LIBVIRTD}:
     * with that set, as under {@code CI=true}, a daemon that does not answer fails the test instead of skipping it.
     */
    static void requireSystemLibvirt() throws IOException {
        requireRoot("to drive qemu:///system and keep guest files under /var/lib/freehold");
        requireCommands("virsh");
        if (!SystemLibvirt.usable()) {
            String reason = "needs libvirtd answering at " + SystemLibvirt.URI + " with its 'default' network active; "
                    + "scripts/test.sh installs and starts both";
            if (System.getenv("FREEHOLD_TEST_LIBVIRTD") != null) {
                fail(reason + "; FREEHOLD_TEST_LIBVIRTD says scripts/test.sh started them");
            }
            unavailable(reason);
        }
    }

    private static void requireRoot(String why) throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) {
            unavailable("needs root " + why + "; run scripts/test.sh as root");
        }
    }

    /** Commands the test (not only the processes it starts) runs, e.g. {@code qemu-img}. */
    static void requireCommands(String... commands) {
        for (String command : commands) {
            boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
            if (!found) {
                unavailable("needs '" + command + "' on the PATH; scripts/test.sh installs it");
            }
        }
    }

    /** The PostgreSQL server {@code scripts/test.sh} starts, as {@code postgresql://user@host:port}. */
    static URI postgresServer() {
        String value = System.getProperty("freehold.test.pg15", System.getenv("FREEHOLD_TEST_PG15"));
        if (value == null || value.isBlank()) {
            unavailable("needs a PostgreSQL server: set FREEHOLD_TEST_PG15=postgresql://user@host:port (scripts/test.sh starts one)");
        }
        return URI.create(value);
    }

    private static void unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; required when CI=true");
        }
        // Also on the console, where a skip is otherwise one number in a summary line.
        System.out.println("[e2e] SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
