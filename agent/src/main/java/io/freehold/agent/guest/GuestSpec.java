package io.freehold.agent.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One guest as the agent should define it in libvirt. The control plane owns every value; the agent only renders
 * them ({@link DomainXml}) and makes the host match. Invalid values are refused here, with a message naming the field,
 * so that nothing half-valid reaches libvirt.
 *
 * @param instanceId  the instance's external id (e.g. {@code i-01hx…}), also the libvirt domain name: 1-63 lower-case
 *                    letters, digits and hyphens, starting and ending with a letter or digit. The name ends up in
 *                    file names under {@code /var/lib/libvirt} and {@code /var/log/libvirt}, so nothing wider is let
 *                    through, and a DNS label can later serve as the guest's host name
 * @param generation  the spec generation this definition realises (at least 1); recorded in the domain's metadata so
 *                    the agent can tell which generation a defined domain already has
 * @param tenantId    the owning tenant, recorded in the metadata for operators reading {@code virsh dumpxml}
 * @param name        the tenant's name for the instance, free text of up to 255 characters (recorded, never parsed)
 * @param type        {@link DomainType#choose} for this host
 * @param vcpus       1 to 255: more needs an interrupt-remapping IOMMU, which this domain shape does not have
 * @param memoryMib   at least 64, about what a current Linux kernel and its initramfs need to come up
 * @param rootDisk    the qcow2 file the guest boots from
 * @param mac         usually {@link GuestIdentifiers#mac}
 * @param network     the libvirt network the interface joins, e.g. {@link #DEFAULT_NETWORK}
 * @param consoleLog  where the serial console's output is kept, in the instance's own directory under guest storage
 *                    (QEMU's user must be able to write there)
 * @param power       whether the guest should be running. Not part of the domain XML (a definition has no power
 *                    state); the agent starts or stops the defined domain to match it
 * @param rebootCount how many reboots have been asked for over the instance's life (0 or more). A reboot is a request,
 *                    not a state, so it travels as a counter: the domain's metadata records the count it has
 *                    realised, and a running guest whose recorded count is lower is rebooted once, however often the
 *                    command is delivered
 * @param stopTimeout how long a stop or reboot waits for the guest to power off after the ACPI request before the agent
 *                    forces it off (1 second to 1 hour). Not in the domain XML: it is how the agent acts, not what
 *                    libvirt keeps
 * @param boot        what the guest boots from: {@link Boot#BLANK}, an overlay on a cached disk image, or a cached kernel
 * @param seed        the cloud-init NoCloud seed disk, when the guest gets one
 */
public record GuestSpec(String instanceId, long generation, String tenantId, String name, DomainType type, int vcpus,
                        int memoryMib, RootDisk rootDisk, MacAddress mac, String network, Path consoleLog, Power power,
                        long rebootCount, Duration stopTimeout, Boot boot, Optional<Seed> seed) {

    /** The network libvirt's packages create: NAT behind the host, with DHCP from dnsmasq. */
    public static final String DEFAULT_NETWORK = "default";

    public static final int MIN_MEMORY_MIB = 64;
    public static final int MAX_VCPUS = 255;
    static final int MAX_NAME_LENGTH = 255;
    /** Below a second an ACPI request can hardly be noticed by a guest, so "graceful" would mean nothing. */
    public static final Duration MIN_STOP_TIMEOUT = Duration.ofSeconds(1);
    /** A command must finish in bounded time; a guest that has not powered off in an hour will not. */
    public static final Duration MAX_STOP_TIMEOUT = Duration.ofHours(1);

    private static final Pattern DOMAIN_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Whether the guest should run once defined. */
    public enum Power {
        RUNNING, STOPPED
    }

    /**
     * The guest's first disk: a qcow2 file, empty or an overlay on a cached image ({@link Boot}), that the agent creates
     * with {@code sizeGib} as its virtual size (or the image's, when larger) before defining the domain.
     */
    public record RootDisk(Path path, int sizeGib) {

        public RootDisk {
            requireAbsolute("root disk path", path);
            if (sizeGib < 1) {
                throw new IllegalArgumentException("root disk size must be at least 1 GiB, got " + sizeGib);
            }
        }
    }

    /**
     * What the guest boots, which decides how a missing root disk is made and whether the domain names a kernel. Image
     * files are the agent's cached copies, used where they are and never written: every guest of an image shares them.
     */
    public sealed interface Boot {

        /** No image: an empty root disk, which the guest's firmware finds nothing on. */
        Boot BLANK = new Blank();

        /** The image's id as the control plane names it, recorded in the domain's metadata; empty for none. */
        String imageId();

        record Blank() implements Boot {

            @Override
            public String imageId() {
                return "";
            }
        }

        /** The root disk is a qcow2 overlay whose backing file is {@code base}, a cached qcow2 image. */
        record Overlay(String imageId, Path base) implements Boot {

            public Overlay {
                requireText("image id", imageId);
                requireAbsolute("base image path", base);
            }
        }

        /**
         * Direct kernel boot: QEMU loads the kernel and initrd itself and hands the kernel {@code cmdline} (as the image
         * gives it; the image says where its console is). The root disk is empty.
         */
        record Kernel(String imageId, Path kernel, Path initrd, String cmdline) implements Boot {

            public Kernel {
                requireText("image id", imageId);
                requireAbsolute("kernel path", kernel);
                requireAbsolute("initrd path", initrd);
                Objects.requireNonNull(cmdline, "kernel command line");
                requireXmlSafe("kernel command line", cmdline);
            }
        }
    }

    /**
     * A cloud-init NoCloud seed ({@link CloudInitSeedFiles}): an ISO image at {@code iso}, in the instance's directory,
     * attached read-only.
     *
     * @param hostname          the guest's host name, free text (written as a YAML string); empty leaves it to cloud-init
     * @param sshAuthorizedKeys public keys for the image's default user
     * @param userData          the tenant's user data as given; empty for none
     */
    public record Seed(Path iso, String hostname, List<String> sshAuthorizedKeys, String userData) {

        public Seed {
            requireAbsolute("seed image path", iso);
            Objects.requireNonNull(hostname, "hostname");
            sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
            Objects.requireNonNull(userData, "user data");
        }
    }

    public GuestSpec {
        requireText("instance id", instanceId);
        if (!isInstanceId(instanceId)) {
            throw new IllegalArgumentException("instance id '" + instanceId + "' is not a valid domain name: use 1-63 "
                    + "lower-case letters, digits and hyphens, starting and ending with a letter or digit");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1, got " + generation);
        }
        requireText("tenant id", tenantId);
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name is " + name.length() + " characters long, more than " + MAX_NAME_LENGTH);
        }
        requireXmlSafe("name", name);
        Objects.requireNonNull(type, "type");
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException("vcpus must be between 1 and " + MAX_VCPUS + ", got " + vcpus);
        }
        if (memoryMib < MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("memory must be at least " + MIN_MEMORY_MIB + " MiB, got " + memoryMib);
        }
        Objects.requireNonNull(rootDisk, "root disk");
        Objects.requireNonNull(mac, "mac address");
        requireText("network", network);
        if (!NETWORK_NAME.matcher(network).matches()) {
            throw new IllegalArgumentException("network '" + network + "' is not a libvirt network name: use up to 64 "
                    + "letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        requireAbsolute("console log path", consoleLog);
        Objects.requireNonNull(power, "power");
        if (rebootCount < 0) {
            throw new IllegalArgumentException("reboot count must not be negative, got " + rebootCount);
        }
        Objects.requireNonNull(stopTimeout, "stop timeout");
        if (stopTimeout.compareTo(MIN_STOP_TIMEOUT) < 0 || stopTimeout.compareTo(MAX_STOP_TIMEOUT) > 0) {
            throw new IllegalArgumentException("stop timeout must be between " + MIN_STOP_TIMEOUT + " and "
                    + MAX_STOP_TIMEOUT + ", got " + stopTimeout);
        }
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(seed, "seed");
    }

    /**
     * Whether a text has the shape of an instance id, and so of the name of a domain Freehold may have defined. Lists
     * of a host's domains use it to tell which domains to look at more closely.
     */
    public static boolean isInstanceId(String text) {
        return text != null && DOMAIN_NAME.matcher(text).matches();
    }

    /** The text itself when it is an instance id; an {@link IllegalArgumentException} otherwise. */
    static String requireInstanceId(String text) {
        if (!isInstanceId(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an instance id");
        }
        return text;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is blank");
        }
        requireXmlSafe(field, value);
    }

    private static void requireAbsolute(String field, Path path) {
        Objects.requireNonNull(path, field);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(field + " '" + path + "' is not absolute; libvirt resolves relative paths "
                    + "against its own working directory");
        }
        requireXmlSafe(field, path.toString());
    }

    /**
     * XML escaping covers markup characters but cannot express control characters (XML 1.0 forbids most of them
     * outright) or unpaired surrogates, and a line break would break the one-line log and list output operators read.
     */
    private static void requireXmlSafe(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairedSurrogate) {
                i++;
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                throw new IllegalArgumentException(field + " contains the character U+" + String.format("%04X", (int) c)
                        + " at index " + i + ", which a domain definition cannot hold");
            }
        }
    }
}
