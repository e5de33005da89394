package io.freehold.agent.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kernel and OS files the facts come from, read whole; a missing file reads as empty text and is logged. */
final class HostFiles {

    static final Path CPUINFO = Path.of("/proc/cpuinfo");
    static final Path MEMINFO = Path.of("/proc/meminfo");
    static final Path LOADAVG = Path.of("/proc/loadavg");
    static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    static final Path OS_RELEASE = Path.of("/etc/os-release");
    static final Path OS_RELEASE_FALLBACK = Path.of("/usr/lib/os-release");

    private static final Logger log = LoggerFactory.getLogger(HostFiles.class);

    private HostFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            log.warn("cannot read file={} reason=\"{}\"", file, e.getMessage());
            return "";
        }
    }

    static String osRelease() {
        return Files.isReadable(OS_RELEASE) ? read(OS_RELEASE) : read(OS_RELEASE_FALLBACK);
    }
}
