package io.freehold.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Everything one test started — processes, network namespaces, databases — closed in reverse order when
 * the test ends, however it ends. Process output goes to {@code target/e2e-logs/<class>/<test>/}, which
 * stays for a look afterwards and is printed when the test fails. Scratch files (data dirs, agent state)
 * live in a temp dir that is deleted.
 */
final class TestResources implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    /** The end of a log is where a failure shows; the whole file stays on disk. */
    private static final int PRINTED_LINES_PER_LOG = 200;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Path logs;
    private Path scratch;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        logs = Path.of(System.getProperty("freehold.e2e.logs", "target/e2e-logs"))
                .resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName())
                .toAbsolutePath();
        deleteRecursively(logs);
        Files.createDirectories(logs);
        // Short and under /tmp: unix socket paths must stay below 108 bytes.
        scratch = Files.createTempDirectory("freehold-e2e-");
    }

    /** Closes {@code resource} when the test ends, before everything opened earlier. */
    <T extends AutoCloseable> T closeAtEnd(T resource) {
        opened.push(resource);
        return resource;
    }

    /** A new, empty directory for one purpose (a data dir, a state dir). */
    Path directory(String name) throws IOException {
        return Files.createDirectory(scratch.resolve(name));
    }

    Path scratch() {
        return scratch;
    }

    Path log(String fileName) {
        return logs.resolve(fileName);
    }

    /** Starts a process whose standard output and error both go to {@code <name>.log}; it is stopped when the test ends. */
    ChildProcess start(String name, List<String> command, Map<String, String> environment) throws IOException {
        Path log = log(name + ".log");
        return closeAtEnd(ChildProcess.start(name, command, environment, log, log));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        try {
            deleteRecursively(scratch);
        } catch (IOException e) {
            // A leftover temp dir is untidy, not a failure of what the test checked.
            System.out.println("[e2e] could not delete " + scratch + ": " + e);
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try (Stream<Path> files = Files.list(logs)) {
            files.sorted().forEach(TestResources::printTail);
        } catch (IOException e) {
            System.out.println("[e2e] cannot list the logs in " + logs + ": " + e);
        }
    }

    private static void printTail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            int from = Math.max(0, lines.size() - PRINTED_LINES_PER_LOG);
            System.out.printf("%n===== %s (%s) =====%n", log.getFileName(),
                    from == 0 ? "all " + lines.size() + " lines" : "last " + PRINTED_LINES_PER_LOG + " of " + lines.size() + " lines, whole file at " + log);
            lines.subList(from, lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("[e2e] cannot read " + log + ": " + e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
