package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a benchmark keeps the control plane's data (its PostgreSQL's included) and anything else it writes: the
 * directory the user named, kept afterwards for a look at the logs, or a new temporary one, removed on {@link #close}.
 */
final class WorkDirectory implements AutoCloseable {

    private final Path path;
    private final boolean temporary;

    private WorkDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** @param kept the directory to use and keep; null for a temporary one */
    static WorkDirectory of(Path kept, String prefix) throws IOException {
        return kept != null ? new WorkDirectory(Files.createDirectories(kept), false)
                : new WorkDirectory(Files.createTempDirectory(prefix), true);
    }

    /** A new temporary directory under {@code parent}, removed on {@link #close}. */
    static WorkDirectory temporaryUnder(Path parent, String prefix) throws IOException {
        return new WorkDirectory(Files.createTempDirectory(Files.createDirectories(parent), prefix), true);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!temporary || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }
}
