package io.freehold.agent.guest;

import javax.xml.stream.XMLStreamException;

/**
 * Renders a {@link GuestSpec} as libvirt domain XML. Pure and deterministic: the same spec always gives the same text,
 * so redefining a domain from a re-delivered command changes nothing. Why the domain has the shape it has is in
 * {@code docs/agent.md}, "Guest domains"; the golden files under the agent's test resources are that shape exactly.
 */
public final class DomainXml {

    /** The namespace of Freehold's element in a domain's {@code <metadata>}. A name, never fetched. */
    public static final String METADATA_NAMESPACE = "urn:freehold:domain:1";
    public static final String METADATA_PREFIX = "freehold";

    /**
     * The CPU model of software-emulated guests: the oldest named model with everything x86-64-v2 requires (which
     * RHEL 9 and its rebuilds need to boot), all of it emulated by QEMU's TCG, and the same on every host.
     */
    static final String EMULATED_CPU_MODEL = "Nehalem";

    private DomainXml() {
    }

    public static String render(GuestSpec spec) {
        try {
            IndentingXmlWriter w = new IndentingXmlWriter();
            w.start("domain", "type", spec.type().xmlName());
            w.text("name", spec.instanceId());
            w.text("uuid", GuestIdentifiers.domainUuid(spec.instanceId()).toString());
            metadata(w, spec);
            String kib = Long.toString(spec.memoryMib() * 1024L);
            w.text("memory", kib, "unit", "KiB");
            w.text("currentMemory", kib, "unit", "KiB");
            w.text("vcpu", Integer.toString(spec.vcpus()), "placement", "static");
            // q35 (PCIe, AHCI) rather than the 1996 i440fx "pc": libvirt expands the alias to the versioned machine
            // of the QEMU it finds, so a guest keeps its virtual hardware across QEMU upgrades.
            w.start("os").text("type", "hvm", "arch", "x86_64", "machine", "q35");
            if (spec.boot() instanceof GuestSpec.Boot.Kernel kernel) {
                // Straight from the agent's image cache: QEMU reads both once, at start.
                w.text("kernel", kernel.kernel().toString());
                w.text("initrd", kernel.initrd().toString());
                if (!kernel.cmdline().isEmpty()) {
                    w.text("cmdline", kernel.cmdline());
                }
            }
            w.end();
            w.start("features").empty("acpi").empty("apic").end();
            cpu(w, spec.type());
            w.empty("clock", "offset", "utc");
            w.text("on_poweroff", "destroy");
            w.text("on_reboot", "restart");
            w.text("on_crash", "destroy");
            devices(w, spec);
            w.end();
            return w.finish();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to memory failed", e);
        }
    }

    private static void metadata(IndentingXmlWriter w, GuestSpec spec) throws XMLStreamException {
        w.start("metadata");
        w.startDeclaring(METADATA_PREFIX, METADATA_NAMESPACE, "instance");
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "id", spec.instanceId());
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "generation", Long.toString(spec.generation()));
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "tenant", spec.tenantId());
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "name", spec.name());
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "rebootCount", Long.toString(spec.rebootCount()));
        // The size the definition was made for: the disk file itself may grow later (only while the guest is off),
        // and what the domain was defined with is what lifecycle facts report.
        w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "rootDiskGib", Integer.toString(spec.rootDisk().sizeGib()));
        if (!spec.boot().imageId().isEmpty()) {
            w.textIn(METADATA_PREFIX, METADATA_NAMESPACE, "image", spec.boot().imageId());
        }
        w.end();
        w.end();
    }

    private static void cpu(IndentingXmlWriter w, DomainType type) throws XMLStreamException {
        if (type == DomainType.KVM) {
            // Guests get the host's CPU as is (fastest, every instruction set extension); they are not live-migrated
            // between hosts of different CPU generations, which is what a portable model would buy.
            w.empty("cpu", "mode", "host-passthrough");
            return;
        }
        // host-passthrough needs hardware virtualisation; QEMU's default qemu64 lacks what current distributions need.
        w.start("cpu", "mode", "custom", "match", "exact");
        w.text("model", EMULATED_CPU_MODEL, "fallback", "forbid");
        w.end();
    }

    private static void devices(IndentingXmlWriter w, GuestSpec spec) throws XMLStreamException {
        // No <emulator>: libvirt picks the host's QEMU binary, whose path differs between distributions. No <graphics>:
        // guests are reached over the network and the serial console, and a VNC server is one more port on the host.
        w.start("devices");

        w.start("disk", "type", "file", "device", "disk");
        // cache=none opens the file with O_DIRECT: the guest's own page cache is the only cache, so host memory is not
        // spent twice and stays predictable for placement, and a write is on disk once the guest flushes it.
        // discard=unmap lets a guest's TRIM shrink the qcow2 file again.
        w.empty("driver", "name", "qemu", "type", "qcow2", "cache", "none", "discard", "unmap");
        w.empty("source", "file", spec.rootDisk().path().toString());
        w.empty("target", "dev", "vda", "bus", "virtio");
        w.end();

        if (spec.seed().isPresent()) {
            // The NoCloud seed: cloud-init finds it by its label, whatever the device is called. Read-only, so the guest
            // cannot change what the agent rewrites only when the seed changes; raw, which an ISO image is.
            w.start("disk", "type", "file", "device", "disk");
            w.empty("driver", "name", "qemu", "type", "raw");
            w.empty("source", "file", spec.seed().get().iso().toString());
            w.empty("target", "dev", "vdb", "bus", "virtio");
            w.empty("readonly");
            w.end();
        }

        w.start("interface", "type", "network");
        w.empty("mac", "address", spec.mac().text());
        w.empty("source", "network", spec.network());
        w.empty("model", "type", "virtio");
        w.end();

        // A pty keeps the console interactive; virtlogd copies everything the guest writes to the log file (and
        // rotates it), which is where Freehold reads console output from. append=on keeps the output of earlier
        // boots, which is what a tenant needs when a reboot went wrong.
        w.start("serial", "type", "pty");
        w.empty("log", "file", spec.consoleLog().toString(), "append", "on");
        w.empty("target", "port", "0");
        w.end();
        w.start("console", "type", "pty");
        w.empty("target", "type", "serial", "port", "0");
        w.end();

        w.empty("memballoon", "model", "virtio");
        // Without an entropy source a guest can wait minutes at boot for its random pool. libvirt recommends
        // /dev/urandom over QEMU's default /dev/random, which blocks on hosts with little entropy.
        w.start("rng", "model", "virtio");
        w.text("backend", "/dev/urandom", "model", "random");
        w.end();

        w.end();
    }
}
