package io.freehold.agent.guest;

import java.util.Objects;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * Why the agent could not make a guest match what it was asked for: a small, stable {@link Code} the control plane can
 * decide on, and a reason a person can read that carries libvirt's own message. libvirt failures are classified by
 * their error number only ({@link #classify}), never by message text, which changes between libvirt versions and
 * locales.
 */
public final class GuestFailure extends Exception {

    /** What kind of failure it was, so the caller can tell "retry later" from "this spec cannot work here". */
    public enum Code {
        /** libvirt refused the definition: retrying the same spec will fail the same way. */
        INVALID_DEFINITION,
        /** The domain vanished between two calls (someone undefined it); re-reading the host settles it. */
        NO_SUCH_DOMAIN,
        /**
         * Something else stands in the way: a domain with the instance's name that Freehold did not define, another
         * domain holding the instance's UUID, or a state changed by someone else in the middle of an operation.
         */
        CONFLICT,
        /** The hypervisor tried and failed (QEMU did not start, a stop timed out at libvirt's level, …). */
        OPERATION_FAILED,
        /** The host lacks memory or similar to do it now. */
        INSUFFICIENT_RESOURCES,
        /** The disk or the guest's directory could not be created, inspected, grown or removed. */
        STORAGE,
        /**
         * libvirt cannot be reached (daemon down, connection lost), or an image part cannot be fetched now (no session
         * with the control plane, the download broke off): nothing was decided, try again later.
         */
        UNAVAILABLE,
        /**
         * An image part the control plane cannot or will not give (unknown, not this host's to fetch), or whose bytes
         * do not match its SHA-256 or size: the same command will fail the same way until the image is fixed.
         */
        IMAGE,
        /** Anything else, including a libvirt that does not support a call the agent makes. */
        INTERNAL
    }

    private final Code code;

    public GuestFailure(Code code, String reason) {
        this(code, reason, null);
    }

    public GuestFailure(Code code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * A libvirt failure of {@code action} (a short phrase naming what the agent was doing, e.g. "start i-…"), with
     * libvirt's message and error number in the reason.
     */
    public static GuestFailure of(String action, LibvirtException e) {
        ErrorNumber number = errorNumber(e);
        String message = e.getError() == null ? e.getMessage() : e.getError().getMessage();
        return new GuestFailure(classify(number), action + ": " + message + " (libvirt " + number + ")", e);
    }

    /** libvirt's error number of a failure; {@code VIR_ERR_UNKNOWN} when the exception carries none. */
    static ErrorNumber errorNumber(LibvirtException e) {
        return e.getError() == null || e.getError().getCode() == null ? ErrorNumber.VIR_ERR_UNKNOWN : e.getError().getCode();
    }

    /** The stable code of a libvirt error number. Numbers the agent has no reason to expect are {@link Code#INTERNAL}. */
    static Code classify(ErrorNumber number) {
        return switch (number) {
            // The definition itself is wrong for this host: malformed or schema-invalid XML, a device, CPU model or
            // network this host's libvirt or QEMU does not have.
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED,
                 VIR_ERR_OS_TYPE, VIR_ERR_NO_OS, VIR_ERR_NO_KERNEL, VIR_ERR_NO_ROOT, VIR_ERR_NO_SOURCE,
                 VIR_ERR_NO_TARGET, VIR_ERR_NO_NAME, VIR_ERR_NO_DEVICE, VIR_ERR_INVALID_MAC, VIR_ERR_CPU_INCOMPATIBLE,
                 VIR_ERR_NO_NETWORK -> Code.INVALID_DEFINITION;
            // INVALID_DOMAIN is a handle to a domain that has been undefined meanwhile.
            case VIR_ERR_NO_DOMAIN, VIR_ERR_INVALID_DOMAIN -> Code.NO_SUCH_DOMAIN;
            // OPERATION_INVALID: "domain is not running", "domain is already running" — someone else changed it.
            case VIR_ERR_DOM_EXIST, VIR_ERR_OPERATION_INVALID, VIR_ERR_RESOURCE_BUSY -> Code.CONFLICT;
            // The QEMU driver reports a QEMU that would not start (its own stderr in the message) as INTERNAL_ERROR,
            // and failed system calls as SYSTEM_ERROR: both are the hypervisor failing, not a bug in the agent.
            case VIR_ERR_OPERATION_FAILED, VIR_ERR_INTERNAL_ERROR, VIR_ERR_SYSTEM_ERROR, VIR_ERR_OPERATION_TIMEOUT,
                 VIR_ERR_OPERATION_ABORTED, VIR_ERR_HOOK_SCRIPT_FAILED, VIR_ERR_AGENT_UNRESPONSIVE ->
                    Code.OPERATION_FAILED;
            case VIR_ERR_NO_MEMORY -> Code.INSUFFICIENT_RESOURCES;
            case VIR_ERR_INVALID_STORAGE_POOL, VIR_ERR_INVALID_STORAGE_VOL, VIR_ERR_NO_STORAGE_POOL,
                 VIR_ERR_NO_STORAGE_VOL, VIR_ERR_STORAGE_PROBE_FAILED, VIR_ERR_STORAGE_POOL_BUILT,
                 VIR_ERR_STORAGE_VOL_EXIST -> Code.STORAGE;
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_NO_SERVER, VIR_ERR_NO_CLIENT ->
                    Code.UNAVAILABLE;
            default -> Code.INTERNAL;
        };
    }

    public Code code() {
        return code;
    }

    /** The human-readable reason, e.g. for a command result or a log line. */
    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
