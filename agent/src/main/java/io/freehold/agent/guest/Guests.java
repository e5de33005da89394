package io.freehold.agent.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.guest.PutOutcome.Change;

/**
 * Makes the guests on one libvirt connection match their specs: {@link #put} defines and powers a guest,
 * {@link #delete} removes it with its files, {@link #list} says what is there. Both changes are idempotent, so a
 * command delivered twice (the command log delivers at least once) changes nothing the second time.
 *
 * <p>Each instance owns the directory {@code <storage root>/<instance id>/}: its root disk and console log live there
 * and nowhere else, so that deleting an instance can remove exactly its own files. {@code put} refuses a spec whose
 * paths point elsewhere.
 *
 * <p>Only domains carrying Freehold's metadata are changed. A domain that has an instance's name but not that metadata
 * was made by someone else: {@code put} and {@code delete} refuse to touch it ({@link Code#CONFLICT}) and {@code list}
 * reports it as foreign, for operators to decide about.
 *
 * <p>Calls for different instances may run concurrently; calls for the same instance must not overlap (the agent
 * applies one host's commands in order). The connection belongs to the caller, who also closes it.
 */
public final class Guests {

    /** The root disk's file name inside the instance's directory. */
    public static final String ROOT_DISK_FILE = "root.qcow2";
    /** The cloud-init seed image's file name inside the instance's directory. */
    public static final String SEED_FILE = "seed.iso";
    /** The serial console log's file name inside the instance's directory. */
    public static final String CONSOLE_LOG_FILE = "console.log";

    private static final Logger log = LoggerFactory.getLogger(Guests.class);
    private static final Duration POWER_POLL = Duration.ofMillis(100);
    /** {@code VIR_DOMAIN_AFFECT_CONFIG}: read the persistent definition, not the running one (see {@link #metadataXml}). */
    private static final int AFFECT_CONFIG = Domain.ModificationImpact.CONFIG;
    /**
     * A managed-save image or snapshot metadata would each make a plain undefine fail; Freehold makes neither, but an
     * operator may have ({@code virsh managedsave}, {@code virsh snapshot-create}). Not passed: NVRAM, because
     * Freehold's domains boot with SeaBIOS and have no NVRAM file, and checkpoint metadata, which Freehold never makes
     * (libvirt's test driver refuses both flags).
     */
    private static final int UNDEFINE_FLAGS = Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA;

    private final Connect connect;
    private final InstanceFiles files;
    /**
     * The metadata last read from each domain, by name, and what it says: every look reads every guest's metadata, which
     * changes only when the domain is defined anew, so it is parsed only when its text differs from the last read.
     */
    private final Map<String, ReadMetadata> metadataRead = new ConcurrentHashMap<>();

    /**
     * @param connect     an open libvirt connection
     * @param storageRoot the agent's guest storage path; instance directories are created under it
     */
    public Guests(Connect connect, Path storageRoot) {
        this.connect = connect;
        this.files = new InstanceFiles(storageRoot, new QemuImg("qemu-img"));
    }

    /** The directory that holds one instance's root disk and console log. */
    public Path directory(String instanceId) {
        return files.directory(instanceId);
    }

    /**
     * Makes the host match the spec, doing only what differs, in this order:
     * <ol>
     *   <li>nothing at all when a domain of this name records the spec's generation and reboot count and is in the
     *       wanted power state, or when it records a newer spec (a higher generation, or the same generation with a
     *       higher reboot count): an older command delivered late must not undo a newer one;</li>
     *   <li>power off when the guest should be stopped, or when a reboot is due (the recorded reboot count is lower
     *       than the spec's and the guest is on): ACPI power button first, forced off after the spec's stop
     *       timeout;</li>
     *   <li>create the qcow2 root disk when it is missing; grow it when it is smaller than the spec and the guest is
     *       off (never shrink it, never replace it);</li>
     *   <li>define the domain when it is absent or records another generation or reboot count;</li>
     *   <li>start it, or resume it when paused, when it should run.</li>
     * </ol>
     * A reboot is therefore a power cycle (what Nova calls a soft reboot, falling back to a hard one): unlike
     * {@code virDomainReboot}, which restarts the guest inside the same QEMU process, it starts a new process from
     * the current definition, so a redefined guest comes back with its new shape. The order makes it safe to repeat
     * after a crash at any point: a guest found off is simply defined and started.
     *
     * <p>A definition changed while the guest runs is libvirt's persistent definition: the running guest keeps its
     * old shape until it is powered off and started (a stop and start, or a reboot).
     *
     * @throws GuestFailure {@link Code#CONFLICT} when a domain of this name lacks Freehold's metadata (it is left as
     *                      it is); other codes when libvirt or qemu-img fail
     */
    public PutOutcome put(GuestSpec spec) throws GuestFailure {
        String id = spec.instanceId();
        files.requireOwn(spec);

        Domain domain = lookup(id);
        try {
            DomainMetadata.Recorded recorded = domain == null ? null : ownedBy(domain, id, "put");
            DomainState state = domain == null ? DomainState.VIR_DOMAIN_SHUTOFF : state(domain, id);
            boolean upToDate = recorded != null && recorded.generation() == spec.generation()
                    && recorded.rebootCount() == spec.rebootCount();
            if (upToDate && inWantedPower(spec.power(), state)) {
                return PutOutcome.NOTHING;
            }
            if (recorded != null && isNewer(recorded, spec)) {
                log.info("guest put superseded instance={} generation={} reboot_count={} recorded_generation={} "
                        + "recorded_reboot_count={}", id, spec.generation(), spec.rebootCount(), recorded.generation(),
                        recorded.rebootCount());
                return PutOutcome.SUPERSEDED;
            }

            List<Change> changes = new ArrayList<>();
            // A paused guest asked to reboot is power-cycled too: resuming it would record a reboot that never was.
            boolean rebootDue = recorded != null && spec.power() == GuestSpec.Power.RUNNING && isActive(state)
                    && spec.rebootCount() > recorded.rebootCount();
            if (domain != null && isActive(state) && (spec.power() == GuestSpec.Power.STOPPED || rebootDue)) {
                changes.add(powerOff(domain, id, state, spec.stopTimeout()));
                state = DomainState.VIR_DOMAIN_SHUTOFF;
            }
            boolean diskGrowthPending = files.prepareRootDisk(spec, isActive(state), changes);
            files.writeSeed(spec, changes);
            if (!upToDate) {
                Domain defined = define(spec);
                free(domain);
                domain = defined;
                changes.add(Change.DEFINED);
            }
            if (spec.power() == GuestSpec.Power.RUNNING) {
                if (!isActive(state)) {
                    start(domain, id);
                    changes.add(Change.STARTED);
                } else if (state == DomainState.VIR_DOMAIN_PAUSED) {
                    resume(domain, id);
                    changes.add(Change.RESUMED);
                }
            }
            log.info("guest put instance={} generation={} reboot_count={} power={} changes={}{}", id,
                    spec.generation(), spec.rebootCount(), spec.power(), changes,
                    diskGrowthPending ? " disk_growth=\"waits until the guest is off\"" : "");
            return new PutOutcome(changes, diskGrowthPending, false);
        } finally {
            free(domain);
        }
    }

    /**
     * Removes a guest: forces it off when it runs (its disk is about to go, so waiting for a clean shutdown buys
     * nothing), undefines it, and deletes the instance's directory with its disk and console logs. A guest that is
     * already gone is success, and so is a half-finished earlier delete (domain gone, files still there).
     *
     * @throws GuestFailure {@link Code#CONFLICT} when a domain of this name lacks Freehold's metadata (nothing is
     *                      touched, files included); other codes when libvirt or the file system fail
     */
    public void delete(String instanceId) throws GuestFailure {
        GuestSpec.requireInstanceId(instanceId);
        Domain domain = lookup(instanceId);
        try {
            if (domain != null) {
                ownedBy(domain, instanceId, "delete");
                if (isActive(state(domain, instanceId))) {
                    destroy(domain, instanceId);
                }
                undefine(domain, instanceId);
            }
        } finally {
            free(domain);
        }
        files.remove(instanceId);
        log.info("guest deleted instance={} had_domain={}", instanceId, domain != null);
    }

    /**
     * Every domain whose name is a valid instance id: Freehold's own with what their persistent definitions record and
     * what libvirt says of them now (power, runtime id, vCPUs and memory), and the others as foreign. Domains named otherwise (for instance by other tools) are not Freehold's business
     * and are left out. A domain undefined while the list is being read is left out too.
     */
    public GuestInventory list() throws GuestFailure {
        Domain[] domains;
        try {
            domains = connect.listAllDomains(0);
        } catch (LibvirtException e) {
            throw GuestFailure.of("list domains", e);
        }
        List<GuestInventory.Guest> guests = new ArrayList<>();
        List<GuestInventory.ForeignDomain> foreign = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Domain domain : domains) {
            try {
                String name = domain.getName();
                if (GuestSpec.isInstanceId(name)) {
                    listed.add(name);
                    read(domain, name, guests, foreign);
                }
            } catch (LibvirtException e) {
                if (GuestFailure.errorNumber(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    throw GuestFailure.of("read a listed domain", e);
                }
            } finally {
                free(domain);
            }
        }
        metadataRead.keySet().retainAll(listed);
        return new GuestInventory(guests, foreign);
    }

    /**
     * What {@link #list} would say of this one instance's domain: the guest, a foreign domain of its name, or nothing
     * when there is no such domain. The agent looks at a command's guest alone right after carrying the command out,
     * so that the cost of a command does not grow with the number of guests on the host.
     */
    public GuestInventory inspect(String instanceId) throws GuestFailure {
        GuestSpec.requireInstanceId(instanceId);
        List<GuestInventory.Guest> guests = new ArrayList<>();
        List<GuestInventory.ForeignDomain> foreign = new ArrayList<>();
        Domain domain = lookup(instanceId);
        try {
            if (domain != null) {
                read(domain, instanceId, guests, foreign);
            }
        } catch (LibvirtException e) {
            if (GuestFailure.errorNumber(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                throw GuestFailure.of("read the domain of " + instanceId, e);
            }
        } finally {
            free(domain);
        }
        return new GuestInventory(guests, foreign);
    }

    /** Adds the domain, named like an instance, to Freehold's guests or to the foreign domains. */
    private void read(Domain domain, String name, List<GuestInventory.Guest> guests,
                      List<GuestInventory.ForeignDomain> foreign) throws LibvirtException {
        DomainInfo info = domain.getInfo();
        PowerState power = PowerState.of(info.state);
        Optional<String> metadata = metadataXml(domain);
        if (metadata.isEmpty()) {
            metadataRead.remove(name);
            foreign.add(new GuestInventory.ForeignDomain(name, power,
                    "no Freehold metadata (" + DomainXml.METADATA_NAMESPACE + ")"));
            return;
        }
        ReadMetadata read = metadataRead.get(name);
        if (read == null || !read.xml().equals(metadata.get())) {
            read = ReadMetadata.of(metadata.get());
            metadataRead.put(name, read);
        }
        if (read.recorded() == null) {
            foreign.add(new GuestInventory.ForeignDomain(name, power, "unreadable Freehold metadata: " + read.unreadable()));
        } else if (read.recorded().instanceId().equals(name)) {
            int runtimeId = power.isActive() ? domain.getID() : GuestInventory.Guest.NOT_RUNNING;
            DomainMetadata.Recorded recorded = read.recorded();
            GuestInventory.Shape shape = new GuestInventory.Shape(info.nrVirtCpu, info.maxMem / 1024, recorded.rootDiskGib());
            guests.add(new GuestInventory.Guest(name, recorded.tenantId(), recorded.generation(), recorded.rebootCount(),
                    power, runtimeId, shape));
        } else {
            foreign.add(new GuestInventory.ForeignDomain(name, power,
                    "its Freehold metadata names instance " + read.recorded().instanceId()));
        }
    }

    /** A domain's metadata text and what it records, or why it cannot be read. */
    private record ReadMetadata(String xml, DomainMetadata.Recorded recorded, String unreadable) {

        static ReadMetadata of(String xml) {
            try {
                return new ReadMetadata(xml, DomainMetadata.parse(xml), null);
            } catch (IllegalArgumentException e) {
                return new ReadMetadata(xml, null, e.getMessage());
            }
        }
    }

    /** Specs are ordered by generation, then by reboot count, which a reboot may raise without a new generation. */
    private static boolean isNewer(DomainMetadata.Recorded recorded, GuestSpec spec) {
        return recorded.generation() != spec.generation() ? recorded.generation() > spec.generation()
                : recorded.rebootCount() > spec.rebootCount();
    }

    private static boolean inWantedPower(GuestSpec.Power wanted, DomainState state) {
        return switch (wanted) {
            case RUNNING -> PowerState.of(state) == PowerState.RUNNING;
            case STOPPED -> state == DomainState.VIR_DOMAIN_SHUTOFF;
        };
    }

    private static boolean isActive(DomainState state) {
        return state != DomainState.VIR_DOMAIN_SHUTOFF;
    }

    /**
     * The Freehold metadata of a domain that must be Freehold's; anything else is someone else's domain, which the
     * agent must neither redefine nor remove.
     */
    private static DomainMetadata.Recorded ownedBy(Domain domain, String id, String action) throws GuestFailure {
        Optional<String> metadata;
        try {
            metadata = metadataXml(domain);
        } catch (LibvirtException e) {
            throw GuestFailure.of("read the metadata of " + id, e);
        }
        String refusal = "refusing to " + action + " " + id + ": a domain of that name exists ";
        String why = "; Freehold changes only domains it defined, so an operator must rename or remove it";
        if (metadata.isEmpty()) {
            throw new GuestFailure(Code.CONFLICT, refusal + "without Freehold metadata (" + DomainXml.METADATA_NAMESPACE
                    + ")" + why);
        }
        try {
            DomainMetadata.Recorded recorded = DomainMetadata.parse(metadata.get());
            if (!recorded.instanceId().equals(id)) {
                throw new GuestFailure(Code.CONFLICT, refusal + "whose Freehold metadata names instance "
                        + recorded.instanceId() + why);
            }
            return recorded;
        } catch (IllegalArgumentException e) {
            throw new GuestFailure(Code.CONFLICT, refusal + "with unreadable Freehold metadata (" + e.getMessage() + ")"
                    + why, e);
        }
    }

    /**
     * The metadata of the persistent definition: after a running guest is redefined, its live definition still
     * carries the old generation until it is restarted, and comparing with that would redefine it on every command.
     */
    private static Optional<String> metadataXml(Domain domain) throws LibvirtException {
        try {
            return Optional.of(domain.getMetadata(Domain.MetadataType.ELEMENT, DomainXml.METADATA_NAMESPACE, AFFECT_CONFIG));
        } catch (LibvirtException e) {
            if (GuestFailure.errorNumber(e) == ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Domain lookup(String id) throws GuestFailure {
        try {
            return connect.domainLookupByName(id);
        } catch (LibvirtException e) {
            if (GuestFailure.errorNumber(e) == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw GuestFailure.of("look up " + id, e);
        }
    }

    private static DomainState state(Domain domain, String id) throws GuestFailure {
        try {
            return domain.getInfo().state;
        } catch (LibvirtException e) {
            throw GuestFailure.of("read the state of " + id, e);
        }
    }

    private Domain define(GuestSpec spec) throws GuestFailure {
        try {
            return connect.domainDefineXML(DomainXml.render(spec));
        } catch (LibvirtException e) {
            throw GuestFailure.of("define " + spec.instanceId() + " generation " + spec.generation(), e);
        }
    }

    /**
     * ACPI power button, then forced off once the timeout has passed. Only a guest executing code can answer the
     * button; a paused or crashed one is forced off at once rather than after a wait that cannot end well.
     */
    private static Change powerOff(Domain domain, String id, DomainState state, Duration timeout) throws GuestFailure {
        PowerState power = PowerState.of(state);
        if (power == PowerState.RUNNING || state == DomainState.VIR_DOMAIN_SHUTDOWN) {
            try {
                domain.shutdown();
            } catch (LibvirtException e) {
                // It may have gone off by itself since the last look, which is what was wanted.
                if (!(GuestFailure.errorNumber(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID && !isActive(state(domain, id)))) {
                    throw GuestFailure.of("shut down " + id, e);
                }
            }
            if (waitUntilOff(domain, id, timeout)) {
                return Change.SHUT_DOWN;
            }
            log.warn("guest did not power off instance={} timeout={}; forcing it off", id, timeout);
        }
        destroy(domain, id);
        return Change.FORCED_OFF;
    }

    private static boolean waitUntilOff(Domain domain, String id, Duration timeout) throws GuestFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!isActive(state(domain, id))) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POWER_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuestFailure(Code.INTERNAL, "interrupted while waiting for " + id + " to power off", e);
            }
        }
    }

    /** A guest that went off by itself between the last look and this call is what was wanted. */
    private static void destroy(Domain domain, String id) throws GuestFailure {
        try {
            domain.destroy();
        } catch (LibvirtException e) {
            if (!(GuestFailure.errorNumber(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID && !isActive(state(domain, id)))) {
                throw GuestFailure.of("force off " + id, e);
            }
        }
    }

    /** A guest someone else started between the last look and this call is what was wanted. */
    private static void start(Domain domain, String id) throws GuestFailure {
        try {
            domain.create();
        } catch (LibvirtException e) {
            if (!(GuestFailure.errorNumber(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID && isActive(state(domain, id)))) {
                throw GuestFailure.of("start " + id, e);
            }
        }
    }

    private static void resume(Domain domain, String id) throws GuestFailure {
        try {
            domain.resume();
        } catch (LibvirtException e) {
            throw GuestFailure.of("resume " + id, e);
        }
    }

    private static void undefine(Domain domain, String id) throws GuestFailure {
        try {
            domain.undefine(UNDEFINE_FLAGS);
        } catch (LibvirtException e) {
            if (GuestFailure.errorNumber(e) != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                throw GuestFailure.of("undefine " + id, e);
            }
        }
    }

    /** Releases libvirt's handle now rather than whenever the garbage collector finalizes it. */
    private static void free(Domain domain) {
        if (domain != null) {
            try {
                domain.free();
            } catch (LibvirtException e) {
                log.debug("freeing a domain handle failed: {}", e.getMessage());
            }
        }
    }
}
