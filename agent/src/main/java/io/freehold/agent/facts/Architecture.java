package io.freehold.agent.facts;

import java.util.Locale;

/** Machine architecture names as the kernel ({@code uname -m}) and libvirt spell them, not as the JVM does. */
public final class Architecture {

    private Architecture() {
    }

    /** Maps a JVM {@code os.arch} value ({@code amd64}) to the kernel's name ({@code x86_64}). */
    public static String fromJvm(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "ppc64le" -> "ppc64le";
            default -> arch;
        };
    }
}
