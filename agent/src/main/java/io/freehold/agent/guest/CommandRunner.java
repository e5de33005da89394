package io.freehold.agent.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.freehold.agent.fault.FaultPoints;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.KernelBoot;
import io.freehold.agent.v1.PutGuest;
import io.freehold.agent.v1.ReadConsole;
import io.freehold.agent.v1.ReportAck;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the control plane's commands (docs/agent-protocol.md §9) on libvirt, one at a time and in
 * the order they came, on a thread of its own so that a guest taking its time to shut down never holds up
 * heartbeats. Every command is answered, success or failure; a command that comes again while it is
 * still queued is not queued twice. Applying is idempotent ({@link Guests}), so a command delivered again
 * after a lost answer changes nothing and is answered again.
 *
 * <p>The same thread looks at the guests for the {@link GuestWatcher}: right after every command, before it is
 * answered (so the facts a command caused are on disk, and on their way, first), and periodically in between.
 */
public final class CommandRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "freehold-commands"));
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();
    private final String libvirtUri;
    private final Path storage;
    private final BooleanSupplier kvmUsable;
    private final ImageParts images;
    private final GuestWatcher watcher;
    /** Opened on the worker thread when first needed, and again after it failed; used only there. */
    private Connect connect;
    private Guests guests;

    /**
     * Starts looking at the guests at once, then every {@code lookEvery}.
     *
     * @param kvmUsable asked for every guest defined, since KVM can come and go with a module or a permission
     * @param images    the local files of the image parts a PutGuest names, fetched first when missing
     */
    public CommandRunner(String libvirtUri, Path storage, BooleanSupplier kvmUsable, ImageParts images, GuestWatcher watcher,
                         Duration lookEvery) {
        this.libvirtUri = libvirtUri;
        this.storage = storage;
        this.kvmUsable = kvmUsable;
        this.images = images;
        this.watcher = watcher;
        worker.scheduleWithFixedDelay(this::look, 0, lookEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues the command; {@code answer} gets its result, on the worker thread. */
    public void submit(Command command, Consumer<CommandResult> answer) {
        if (!queued.add(command.getSeq())) {
            log.debug("command already queued seq={} id={}", command.getSeq(), command.getCommandId());
            return;
        }
        worker.execute(() -> {
            CommandResult result;
            try {
                result = run(command);
            } finally {
                queued.remove(command.getSeq());
            }
            lookAfter(command);
            FaultPoints.reach(FaultPoints.Point.AFTER_APPLY_BEFORE_RESULT);
            answer.accept(result);
        });
    }

    CommandResult run(Command command) {
        CommandResult.Builder result = CommandResult.newBuilder().setSeq(command.getSeq()).setCommandId(command.getCommandId());
        try {
            switch (command.getActionCase()) {
                case PUT_GUEST -> {
                    // Before anything else: a part that cannot be had (or does not match its hash) leaves nothing behind.
                    GuestSpec.Boot boot = boot(command.getPutGuest());
                    PutOutcome outcome = guests().put(spec(command.getPutGuest(), boot));
                    log.info("put guest instance={} generation={} changes={} superseded={}", command.getPutGuest().getInstanceId(),
                            command.getPutGuest().getGeneration(), outcome.changes(), outcome.superseded());
                }
                case DELETE_GUEST -> {
                    guests().delete(command.getDeleteGuest().getInstanceId());
                    log.info("deleted guest instance={}", command.getDeleteGuest().getInstanceId());
                }
                case READ_CONSOLE -> {
                    ReadConsole read = command.getReadConsole();
                    return result.setSucceeded(true).setConsole(ConsoleLog.tail(storage, read.getInstanceId(), read.getMaxBytes()))
                            .build();
                }
                default -> {
                    return result.setSucceeded(false).setFailureCode("UNSUPPORTED")
                            .setFailureReason("this agent does not know the command " + command.getActionCase()).build();
                }
            }
            return result.setSucceeded(true).build();
        } catch (GuestFailure failure) {
            log.warn("command failed seq={} code={} reason=\"{}\"", command.getSeq(), failure.code(), failure.reason());
            if (failure.code() == GuestFailure.Code.UNAVAILABLE) {
                forgetConnection();
            }
            return result.setSucceeded(false).setFailureCode(failure.code().name()).setFailureReason(failure.reason()).build();
        } catch (IllegalArgumentException invalid) {
            return result.setSucceeded(false).setFailureCode(GuestFailure.Code.INVALID_DEFINITION.name())
                    .setFailureReason(invalid.getMessage()).build();
        } catch (RuntimeException | LinkageError e) {
            // Answered all the same, so the control plane shows a reason instead of waiting for ever.
            log.error("command failed seq={} id={}", command.getSeq(), command.getCommandId(), e);
            forgetConnection();
            return result.setSucceeded(false).setFailureCode(GuestFailure.Code.INTERNAL.name())
                    .setFailureReason("the agent failed carrying out the command: " + e).build();
        }
    }

    /** Hands the control plane's acknowledgement of a report to the ledger, on this runner's thread. */
    public void acknowledge(ReportAck ack) {
        try {
            worker.execute(() -> watcher.acknowledge(ack));
        } catch (RejectedExecutionException e) {
            log.debug("stopping; the report is sent again after the restart incarnation={} report_seq={}",
                    ack.getIncarnationId(), ack.getReportSeq());
        }
    }

    /** A look at the command's guest, or at all of them after a command about none in particular. */
    private void lookAfter(Command command) {
        watcher.commandApplied(command.getSeq());
        String instanceId = switch (command.getActionCase()) {
            case PUT_GUEST -> command.getPutGuest().getInstanceId();
            case DELETE_GUEST -> command.getDeleteGuest().getInstanceId();
            case READ_CONSOLE -> command.getReadConsole().getInstanceId();
            default -> null;
        };
        if (instanceId == null || !GuestSpec.isInstanceId(instanceId)) {
            look();
            return;
        }
        guarded(() -> watcher.lookAt(guests(), instanceId));
    }

    private void look() {
        guarded(() -> watcher.look(guests()));
    }

    /** Never throws: a periodic task that throws is never run again, and a look that failed is simply tried again. */
    private void guarded(LookAction look) {
        try {
            look.run();
        } catch (GuestFailure failure) {
            watcher.lookFailed(failure.reason());
            if (failure.code() == GuestFailure.Code.UNAVAILABLE) {
                forgetConnection();
            }
        } catch (RuntimeException | LinkageError e) {
            watcher.lookFailed(e.toString());
            forgetConnection();
        }
    }

    /** What the guest boots, with the local files of its image's parts. */
    private GuestSpec.Boot boot(PutGuest put) throws GuestFailure {
        if (!put.hasImage()) {
            return GuestSpec.Boot.BLANK;
        }
        GuestImage image = put.getImage();
        return switch (image.getBootCase()) {
            case DISK -> new GuestSpec.Boot.Overlay(image.getImageId(), images.local(image.getDisk()));
            case KERNEL -> {
                KernelBoot kernel = image.getKernel();
                if (!kernel.hasKernel() || !kernel.hasInitrd()) {
                    throw new IllegalArgumentException("the kernel boot of image " + image.getImageId()
                            + " must name both a kernel and an initrd");
                }
                yield new GuestSpec.Boot.Kernel(image.getImageId(), images.local(kernel.getKernel()),
                        images.local(kernel.getInitrd()), kernel.getCmdline());
            }
            case BOOT_NOT_SET -> throw new IllegalArgumentException("image " + image.getImageId()
                    + " names neither a disk nor a kernel; this agent may be older than the control plane");
        };
    }

    /** The guest as the command describes it, with the paths, identifiers and domain type this host decides. */
    private GuestSpec spec(PutGuest put, GuestSpec.Boot boot) throws GuestFailure {
        Path directory = guests().directory(put.getInstanceId());
        long memory = put.getMemoryMib();
        if (memory > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("memory of " + memory + " MiB is more than a guest can have");
        }
        Duration stopTimeout = Duration.ofSeconds(put.getStopTimeout().getSeconds(), put.getStopTimeout().getNanos());
        return new GuestSpec(put.getInstanceId(), put.getGeneration(), put.getTenantId(), put.getName(),
                DomainType.choose(kvmUsable.getAsBoolean()), put.getVcpus(), (int) memory,
                new GuestSpec.RootDisk(directory.resolve(Guests.ROOT_DISK_FILE), Math.toIntExact(put.getRootDiskGib())),
                GuestIdentifiers.mac(put.getInstanceId()), GuestSpec.DEFAULT_NETWORK, directory.resolve(Guests.CONSOLE_LOG_FILE),
                put.getPowerState() == io.freehold.agent.v1.PowerState.POWER_STATE_STOPPED ? GuestSpec.Power.STOPPED : GuestSpec.Power.RUNNING,
                put.getRebootCount(), stopTimeout.isZero() ? GuestSpec.MIN_STOP_TIMEOUT : stopTimeout, boot,
                put.hasSeed() ? Optional.of(new GuestSpec.Seed(directory.resolve(Guests.SEED_FILE), put.getSeed().getHostname(),
                        put.getSeed().getSshAuthorizedKeysList(), put.getSeed().getUserData())) : Optional.empty());
    }

    private Guests guests() throws GuestFailure {
        if (guests == null) {
            try {
                connect = new Connect(libvirtUri, false);
            } catch (LibvirtException e) {
                throw GuestFailure.of("connect to " + libvirtUri, e);
            }
            guests = new Guests(connect, storage);
        }
        return guests;
    }

    private void forgetConnection() {
        if (connect != null) {
            try {
                connect.close();
            } catch (LibvirtException e) {
                log.debug("closing a failed libvirt connection reason=\"{}\"", e.getMessage());
            }
        }
        connect = null;
        guests = null;
    }

    /** Lets the command being carried out finish (a shutdown may take its whole timeout), then closes libvirt. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forgetConnection();
    }

    private interface LookAction {
        void run() throws GuestFailure;
    }
}
