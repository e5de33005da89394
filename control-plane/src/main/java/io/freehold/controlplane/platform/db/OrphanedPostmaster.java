package io.freehold.controlplane.platform.db;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server left running on the data directory by a control plane that was killed (SIGKILL,
 * power loss of the JVM only): pg_ctl daemonises the server, so it outlives its parent and would keep
 * the next start from opening the data directory. When no live control plane holds the directory's
 * lock, that server is an orphan and is shut down; if a live one holds it, nothing is touched.
 */
final class OrphanedPostmaster {

    /** The lock file zonky's EmbeddedPostgres holds for as long as it runs the data directory. */
    static final String OWNER_LOCK = "epg-lock";
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private OrphanedPostmaster() {
    }

    static void stopIfOrphaned(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> postmaster = runningPostmaster(dataDirectory);
        if (postmaster.isEmpty()) {
            return;
        }
        if (ownedByALiveControlPlane(dataDirectory)) {
            throw new IllegalStateException("another Freehold control plane is already running on " + dataDirectory);
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a control plane that did not shut down",
                postmaster.get().pid(), dataDirectory);
        // SIGTERM is PostgreSQL's "smart" shutdown: the dead control plane's connections are gone, so it
        // completes at once and writes a clean checkpoint.
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the orphaned PostgreSQL on " + dataDirectory + " did not stop", e);
        }
    }

    private static Optional<ProcessHandle> runningPostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // The pid file's second line is the data directory; a recycled pid of another program never matches it.
        boolean sameDirectory = Path.of(lines.get(1).strip()).toAbsolutePath().normalize()
                .equals(dataDirectory.toAbsolutePath().normalize());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> sameDirectory && process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
    }

    private static boolean ownedByALiveControlPlane(Path dataDirectory) throws IOException {
        Path lockFile = dataDirectory.resolve(OWNER_LOCK);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
             FileChannel channel = file.getChannel();
             FileLock lock = channel.tryLock()) {
            return lock == null;
        }
    }
}
