package io.freehold.agent.guest;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.ReportAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link GuestLedger} up to date with what libvirt says. The {@link CommandRunner} calls it on its own thread,
 * right after every command and periodically, so looks and commands never overlap and share one libvirt connection;
 * acknowledgements are handed to that thread too. After every look and acknowledgement it publishes a
 * {@link LedgerView}, which the link reads from its own thread.
 */
public final class GuestWatcher {

    private static final Logger log = LoggerFactory.getLogger(GuestWatcher.class);

    private final GuestLedger ledger;
    private final Clock clock;
    private final LongSupplier monotonicMillis;
    private final String bootId;
    private volatile LedgerView view;
    private volatile Consumer<LedgerView> subscriber = published -> { };
    /** The last failure logged, so that a libvirt that stays away is logged once, not at every look. */
    private String failure;

    /**
     * @param monotonicMillis a clock that never jumps, in milliseconds ({@code System.nanoTime() / 1_000_000}): the
     *                        running time between looks is measured on it
     * @param bootId          this boot of the host ({@code /proc/sys/kernel/random/boot_id})
     */
    public GuestWatcher(GuestLedger ledger, Clock clock, LongSupplier monotonicMillis, String bootId) {
        this.ledger = ledger;
        this.clock = clock;
        this.monotonicMillis = monotonicMillis;
        this.bootId = Objects.requireNonNull(bootId);
        this.view = ledger.view();
    }

    /** The latest view; any thread may call this. */
    public LedgerView view() {
        return view;
    }

    /**
     * Sets the one subscriber, called with every view published, on the command runner's thread: it must only hand
     * the view to a thread of its own.
     */
    public void subscribe(Consumer<LedgerView> subscriber) {
        this.subscriber = Objects.requireNonNull(subscriber);
    }

    /** On the command runner's thread: a look at every guest. */
    void look(Guests guests) throws GuestFailure {
        GuestInventory inventory = guests.list();
        record(() -> ledger.look(inventory, clock.instant(), monotonicMillis.getAsLong(), bootId));
    }

    /**
     * On the command runner's thread, after a command for this instance: a look at its guest alone, or at every guest
     * while this process has not looked at them all yet.
     */
    void lookAt(Guests guests, String instanceId) throws GuestFailure {
        if (!ledger.hasLooked()) {
            look(guests);
            return;
        }
        GuestInventory found = guests.inspect(instanceId);
        record(() -> ledger.lookAt(instanceId, found, clock.instant(), monotonicMillis.getAsLong(), bootId));
    }

    private void record(Supplier<List<GuestReport>> look) {
        List<GuestReport> reports;
        try {
            reports = look.get();
        } catch (UncheckedIOException e) {
            lookFailed(e.getMessage() + ": " + e.getCause().getMessage());
            return;
        }
        if (failure != null) {
            log.info("guests looked at again after \"{}\"", failure);
            failure = null;
        }
        for (GuestReport report : reports) {
            log.info("guest lifecycle instance={} event={} report_seq={} generation={} applied_seq={}", report.getInstanceId(),
                    report.getEvent(), report.getReportSeq(), report.getGeneration(), report.getAppliedSeq());
        }
        publish();
    }

    /** On the command runner's thread: a look failed and is tried again at the next one. */
    void lookFailed(String reason) {
        if (!reason.equals(failure)) {
            log.warn("cannot look at the guests, trying again at the next look reason=\"{}\"", reason);
            failure = reason;
        }
    }

    /** On the command runner's thread. */
    void commandApplied(long seq) {
        ledger.commandApplied(seq);
    }

    /** On the command runner's thread. */
    void acknowledge(ReportAck ack) {
        try {
            if (ledger.acknowledge(ack.getIncarnationId(), ack.getReportSeq())) {
                publish();
            }
        } catch (UncheckedIOException e) {
            log.error("cannot forget an acknowledged report incarnation={} report_seq={} reason=\"{}\"; it is sent again "
                    + "on the next session", ack.getIncarnationId(), ack.getReportSeq(), e.getCause().getMessage());
        }
    }

    private void publish() {
        view = ledger.view();
        subscriber.accept(view);
    }
}
