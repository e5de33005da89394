package io.freehold.agent.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Timestamp;
import io.freehold.agent.guest.GuestInventory.ForeignDomain;
import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.identity.AtomicFileWriter;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.GuestShape;
import io.freehold.agent.v1.LifecycleEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable record of its guests' lifecycle (ARCHITECTURE §3.6): the last look, each guest's running time,
 * and the {@link GuestReport}s not yet acknowledged, in one file of the state dir ({@link LedgerFile}), replaced
 * atomically. Every change is written before anyone learns of it: a report reaches the control plane only after it is
 * on disk, and what a failed write would have changed is not kept, so the next look derives it again from the state
 * on disk. A report keeps its incarnation and seq until a {@link #acknowledge} names it, across agent restarts.
 *
 * <p>Reports are numbered from 1 in each agent process (incarnation). Without a file (a fresh state dir, or an agent
 * upgraded from before the ledger) the first look reports every guest found as provisioned, and started if it runs.
 * An unreadable file (which atomic replacement should make impossible, short of damage from outside) is kept aside as
 * {@code guest-ledger.unreadable} and the agent starts as without one: better to report a guest twice than to stop
 * managing the host.
 *
 * <p>Not thread-safe: used only on the command runner's thread.
 */
public final class GuestLedger {

    /** The ledger's file name in the state dir. */
    public static final String FILE_NAME = "guest-ledger";

    private static final Logger log = LoggerFactory.getLogger(GuestLedger.class);

    private final Path file;
    private final String incarnationId;
    private LedgerState state;
    private long nextSeq = 1;
    private long appliedSeq;
    /** Set by this process's first successful look; until then the state on disk is a predecessor's. */
    private boolean looked;
    private long lookedAtMillis;
    private List<ForeignDomain> foreign = List.of();

    private GuestLedger(Path file, String incarnationId, LedgerState state) {
        this.file = file;
        this.incarnationId = incarnationId;
        this.state = state;
        this.appliedSeq = state.lastLook().appliedSeq();
    }

    /** Loads the ledger from {@code file}, or starts a fresh one; {@code incarnationId} numbers this process's reports. */
    public static GuestLedger open(Path file, String incarnationId) {
        removeLeftoverTempFiles(file);
        LedgerState state;
        try {
            state = LedgerFile.decode(Files.readString(file));
            log.info("guest ledger loaded file={} guests={} pending_reports={}", file, state.lastLook().guests().size(),
                    state.pending().size());
        } catch (NoSuchFileException e) {
            log.info("no guest ledger yet file={}: the first look reports every guest as provisioned", file);
            state = LedgerState.fresh();
        } catch (IOException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            log.error("guest ledger unreadable file={} reason=\"{}\"; kept as {}, the first look reports every guest "
                    + "as provisioned again and unacknowledged reports in it are not sent", file, e.getMessage(), aside);
            moveAside(file, aside);
            state = LedgerState.fresh();
        }
        return new GuestLedger(file, incarnationId, state);
    }

    /** Notes that the command with this seq has been carried out; the next look records it. */
    void commandApplied(long seq) {
        appliedSeq = Math.max(appliedSeq, seq);
    }

    /**
     * Records a look at the host's guests: the lifecycle facts since the previous look become reports, the running
     * times grow, and the result is written when it differs from what is stored.
     *
     * @param now             the agent's clock, which dates the facts
     * @param monotonicMillis a monotonic clock in milliseconds, which measures the running time between two looks
     *                        of this process
     * @param bootId          the host's boot id, without which runtime ids cannot be compared across restarts
     * @return the reports this look made, in order
     * @throws UncheckedIOException when the ledger cannot be written; nothing is recorded then
     */
    List<GuestReport> look(GuestInventory inventory, Instant now, long monotonicMillis, String bootId) {
        Map<String, Guest> guests = new HashMap<>();
        inventory.guests().forEach(guest -> guests.put(guest.instanceId(), guest));
        return record(guests, inventory.foreign(), now, monotonicMillis, bootId);
    }

    /** Whether this process has looked at all its guests yet: until it has, only a whole look can be recorded. */
    boolean hasLooked() {
        return looked;
    }

    /**
     * Records a look at one guest ({@link Guests#inspect}), as if at all of them with the others as the last look saw
     * them. Right after a command for that guest, this is what a whole look would find as far as the command goes; what
     * happened to the others meanwhile is found by the next whole look, exactly as if this one had not been made, and
     * their counters come out the same, since a guest is credited with the time since it was last seen running either
     * way.
     *
     * @param found what {@link Guests#inspect} found for {@code instanceId}, and nothing else
     * @throws IllegalStateException before this process's first whole look, whose running times and facts need every
     *                               guest (see {@link RunningTime#acrossRestart})
     */
    List<GuestReport> lookAt(String instanceId, GuestInventory found, Instant now, long monotonicMillis, String bootId) {
        if (!looked) {
            throw new IllegalStateException("no whole look at the guests yet in this process");
        }
        boolean aboutOthers = found.guests().stream().anyMatch(guest -> !guest.instanceId().equals(instanceId))
                || found.foreign().stream().anyMatch(domain -> !domain.name().equals(instanceId));
        if (aboutOthers) {
            throw new IllegalArgumentException("a look at " + instanceId + " found other domains: " + found);
        }
        Map<String, Guest> guests = new HashMap<>(state.lastLook().guests());
        guests.remove(instanceId);
        found.guests().forEach(guest -> guests.put(guest.instanceId(), guest));
        List<ForeignDomain> foreignNow = new ArrayList<>(foreign);
        foreignNow.removeIf(domain -> domain.name().equals(instanceId));
        foreignNow.addAll(found.foreign());
        return record(guests, foreignNow, now, monotonicMillis, bootId);
    }

    private List<GuestReport> record(Map<String, Guest> guests, List<ForeignDomain> foreignNow, Instant now,
                                     long monotonicMillis, String bootId) {
        Observation previous = state.lastLook();
        Observation current = new Observation(now, bootId, appliedSeq, guests);
        Map<String, Long> running = looked
                ? RunningTime.afterLook(state.runningMillis(), previous, current, monotonicMillis - lookedAtMillis)
                : RunningTime.acrossRestart(state.runningMillis(), previous, current);
        List<GuestReport> reports = new ArrayList<>();
        long seq = nextSeq;
        for (LifecycleFact fact : LifecycleDiff.between(previous, current)) {
            // A run that ended while no agent looked ended after the last look before, the last time the guest was
            // seen running: dated there, the fact agrees with the counter, which credits no part of the gap to it.
            boolean endedUnseen = !looked && fact.event() == LifecycleEvent.LIFECYCLE_EVENT_STOPPED;
            reports.add(report(seq++, fact, endedUnseen ? previous.at() : now));
        }
        List<GuestReport> pending = new ArrayList<>(state.pending());
        pending.addAll(reports);
        LedgerState next = new LedgerState(current, running, pending);
        if (next.differsFrom(state)) {
            write(next);
        }
        state = next;
        nextSeq = seq;
        looked = true;
        lookedAtMillis = monotonicMillis;
        foreign = List.copyOf(foreignNow);
        return reports;
    }

    /**
     * Forgets the report the control plane has durably recorded; a guest's counter goes with the acknowledgement of
     * its deletion. A report not pending (acknowledged before) changes nothing.
     *
     * @return whether a pending report was forgotten
     * @throws UncheckedIOException when the ledger cannot be written; the report stays pending and is sent again on
     *                              the next session
     */
    boolean acknowledge(String reportIncarnationId, long reportSeq) {
        Optional<GuestReport> acknowledged = state.pending().stream()
                .filter(r -> r.getIncarnationId().equals(reportIncarnationId) && r.getReportSeq() == reportSeq)
                .findFirst();
        if (acknowledged.isEmpty()) {
            return false;
        }
        GuestReport report = acknowledged.get();
        List<GuestReport> pending = new ArrayList<>(state.pending());
        pending.remove(report);
        Map<String, Long> running = new HashMap<>(state.runningMillis());
        if (report.getEvent() == LifecycleEvent.LIFECYCLE_EVENT_DELETED
                && !state.lastLook().guests().containsKey(report.getInstanceId())) {
            running.remove(report.getInstanceId());
        }
        LedgerState next = new LedgerState(state.lastLook(), running, pending);
        write(next);
        state = next;
        return true;
    }

    LedgerView view() {
        Map<String, Guest> guests = state.lastLook().guests();
        List<LedgerView.Counter> counters = new ArrayList<>();
        state.runningMillis().forEach((id, millis) -> counters.add(new LedgerView.Counter(id, millis,
                looked ? Optional.ofNullable(guests.get(id)).map(Guest::power) : Optional.empty())));
        return new LedgerView(looked, state.lastLook().appliedSeq(), looked ? List.copyOf(guests.values()) : List.of(),
                foreign, counters, state.pending());
    }

    private GuestReport report(long seq, LifecycleFact fact, Instant observedAt) {
        Guest guest = fact.guest();
        return GuestReport.newBuilder()
                .setIncarnationId(incarnationId)
                .setReportSeq(seq)
                .setInstanceId(guest.instanceId())
                .setTenantId(guest.tenantId())
                .setEvent(fact.event())
                .setObservedAt(Timestamp.newBuilder().setSeconds(observedAt.getEpochSecond()).setNanos(observedAt.getNano()))
                .setShape(GuestShape.newBuilder().setVcpus(guest.shape().vcpus()).setMemoryMib(guest.shape().memoryMib())
                        .setRootDiskGib(guest.shape().rootDiskGib()))
                .setGeneration(guest.generation())
                .setAppliedSeq(appliedSeq)
                .build();
    }

    private void write(LedgerState next) {
        try {
            AtomicFileWriter.write(file, LedgerFile.encode(next), AtomicFileWriter.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the guest ledger " + file, e);
        }
    }

    /** A crash during a write leaves the temp file of {@link AtomicFileWriter} behind; it never holds anything needed. */
    private static void removeLeftoverTempFiles(Path file) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(file.toAbsolutePath().getParent(),
                "." + file.getFileName() + ".*.tmp")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            log.warn("cannot remove leftover temp files of the guest ledger reason=\"{}\"", e.getMessage());
        }
    }

    private static void moveAside(Path file, Path aside) {
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot move the unreadable guest ledger aside reason=\"{}\"", e.getMessage());
        }
    }
}
