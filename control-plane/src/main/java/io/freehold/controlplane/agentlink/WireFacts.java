package io.freehold.controlplane.agentlink;

import java.time.Instant;
import java.util.List;

import com.google.protobuf.Timestamp;
import io.freehold.agent.v1.GuestPower;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.metering.GuestCounterReading;
import io.freehold.controlplane.platform.ids.Base32;

/**
 * Reads what agents measured off the wire into inventory's values, refusing what the database would
 * choke on or what no real host reports: every refusal is an {@link IllegalArgumentException} whose
 * message tells the agent's operator which field is wrong.
 */
final class WireFacts {

    static final int MAX_HOSTNAME = 253;
    static final int MAX_TEXT = 1024;
    private static final String INSTANCE_ID_PREFIX = "i";

    private WireFacts() {
    }

    static HostFacts facts(io.freehold.agent.v1.HostFacts wire) {
        if (SessionTerms.negotiatedVersion(wire.getProtocolVersionValue()).isEmpty()) {
            throw new IllegalArgumentException("facts.protocol_version is missing; this control plane speaks version "
                    + SessionTerms.PROTOCOL_VERSION);
        }
        return new HostFacts(
                required("facts.hostname", wire.getHostname(), MAX_HOSTNAME),
                text("facts.cpu_model", wire.getCpuModel()),
                count("facts.cpu_cores", wire.getCpuCores()),
                count("facts.cpu_threads", wire.getCpuThreads()),
                amount("facts.memory_bytes", wire.getMemoryBytes()),
                text("facts.storage_path", wire.getStoragePath()),
                amount("facts.storage_bytes", wire.getStorageBytes()),
                text("facts.libvirt_uri", wire.getLibvirtUri()),
                text("facts.libvirt_version", wire.getLibvirtVersion()),
                text("facts.qemu_version", wire.getQemuVersion()),
                wire.getKvmUsable(),
                text("facts.agent_version", wire.getAgentVersion()),
                wire.getProtocolVersionValue(),
                required("facts.boot_id", wire.getBootId(), MAX_TEXT),
                required("facts.incarnation_id", wire.getIncarnationId(), MAX_TEXT),
                text("facts.os", wire.getOs()),
                text("facts.architecture", wire.getArchitecture()));
    }

    static HostUtilisation utilisation(Heartbeat heartbeat) {
        double load = heartbeat.getLoadAverage1M();
        if (!Double.isFinite(load) || load < 0) {
            throw new IllegalArgumentException("heartbeat.load_average_1m must be a non-negative number, not " + load);
        }
        return new HostUtilisation(load, amount("heartbeat.free_memory_bytes", heartbeat.getFreeMemoryBytes()),
                amount("heartbeat.free_storage_bytes", heartbeat.getFreeStorageBytes()),
                count("heartbeat.guest_count", heartbeat.getGuestCount()));
    }

    /** The guests' running-seconds counters a heartbeat carries, attributed to the host whose stream it came on. */
    static List<GuestCounterReading> counters(String hostId, Heartbeat heartbeat) {
        return heartbeat.getGuestCountersList().stream()
                .map(counter -> new GuestCounterReading(hostId, instanceId("heartbeat.guest_counters.instance_id", counter.getInstanceId()),
                        amount("heartbeat.guest_counters.running_seconds", counter.getRunningSeconds()), power(counter.getPower())))
                .toList();
    }

    /** An instance id as agents send it: Freehold names every domain after its instance. */
    static String instanceId(String field, String value) {
        if (!isInstanceId(value)) {
            throw new IllegalArgumentException(field + " must be an instance id, not '" + limitForMessage(value) + "'");
        }
        return value;
    }

    static boolean isInstanceId(String value) {
        return Base32.isId(INSTANCE_ID_PREFIX, value);
    }

    /** The agent's name for a guest's power state, as stored: RUNNING, SHUT_OFF, PAUSED, CRASHED or OTHER. */
    static String power(GuestPower power) {
        return switch (power) {
            case GUEST_POWER_RUNNING -> "RUNNING";
            case GUEST_POWER_SHUT_OFF -> "SHUT_OFF";
            case GUEST_POWER_PAUSED -> "PAUSED";
            case GUEST_POWER_CRASHED -> "CRASHED";
            default -> "OTHER";
        };
    }

    private static String limitForMessage(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }

    /** A timestamp the agent must send; proto3 cannot tell "unset" from the epoch, and no agent runs in 1970. */
    static Instant instant(String field, Timestamp timestamp) {
        if (timestamp.getSeconds() <= 0) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static String required(String field, String value, int max) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return limited(field, value, max);
    }

    private static String text(String field, String value) {
        return limited(field, value, MAX_TEXT);
    }

    /** PostgreSQL's jsonb holds no NUL, and no fact a host measures needs control characters. */
    static String limited(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(field + " contains control characters");
        }
        return value;
    }

    private static int count(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return value;
    }

    private static long amount(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return value;
    }
}
