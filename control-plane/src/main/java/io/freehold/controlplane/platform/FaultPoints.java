package io.freehold.controlplane.platform;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Named moments at which a fault test kills this process with SIGKILL (docs/compute.md, "Fault points").
 * The environment variable {@value #VARIABLE} arms at most one point; the thread that reaches it writes
 * {@code freehold fault point reached: <name>} to standard error and parks for good, so the test's SIGKILL
 * lands exactly there, whatever the other threads do meanwhile. Unset — always, outside fault tests —
 * {@link #reach} compares two references and returns: nothing else changes.
 */
public final class FaultPoints {

    static final String VARIABLE = "FREEHOLD_FAULT_POINT";

    /** Each is named after what has just happened when a thread reaches it. */
    public enum Point {
        /** The scheduling pass reserved a host for an instance; its transaction, which also writes the instance's first command, is still open. */
        AFTER_PLACEMENT("after-placement"),
        /** A command is committed in the host's log (read back for delivery) and not yet sent. */
        AFTER_COMMAND_WRITE("after-command-write"),
        /** An agent's CommandResult arrived and is not yet recorded. */
        BEFORE_ACK("before-ack"),
        /** A rollup recompute wrote an instance's first changed hour; its transaction, which holds the rest of the recompute, is still open. */
        DURING_ROLLUP("during-rollup"),
        /** Month close stored a tenant's final invoice and its number; its transaction, which also closed the month's hours, is still open. */
        DURING_MONTH_CLOSE("during-month-close");

        private final String label;

        Point(String label) {
            this.label = label;
        }

        static Optional<Point> named(String label) {
            return Arrays.stream(values()).filter(point -> point.label.equals(label)).findFirst();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final String SETTING = Objects.requireNonNullElse(System.getenv(VARIABLE), "").strip();
    private static final Point ARMED = Point.named(SETTING).orElse(null);

    private FaultPoints() {
    }

    /**
     * Says on standard error which point is armed, if any. Called first thing at start, so that a name no
     * point has stops the start instead of leaving a test waiting for a point that never comes.
     */
    public static void announce() {
        if (SETTING.isEmpty()) {
            return;
        }
        if (ARMED == null) {
            throw new IllegalArgumentException(VARIABLE + "=" + SETTING + " names no fault point; there are "
                    + Arrays.stream(Point.values()).map(Point::toString).collect(Collectors.joining(", ")));
        }
        System.err.println("freehold fault point armed: " + ARMED + " (" + VARIABLE + "); the thread reaching it parks until the process is killed");
    }

    /** Returns at once unless {@code point} is the armed one; then never returns. */
    public static void reach(Point point) {
        if (point != ARMED) {
            return;
        }
        System.err.println("freehold fault point reached: " + point + " (thread " + Thread.currentThread().getName() + ")");
        System.err.flush();
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Going on would let the interrupted work finish (a transaction commit, say): the test must find the state of the named moment.
            }
        }
    }
}
