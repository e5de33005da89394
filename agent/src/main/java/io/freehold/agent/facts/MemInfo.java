package io.freehold.agent.facts;

/**
 * Memory as {@code /proc/meminfo} reports it, in bytes. ARCHITECTURE §7 takes memory from here rather than from
 * libvirt, whose node info under-reports it on some virtualised hosts.
 *
 * @param totalBytes     MemTotal
 * @param availableBytes MemAvailable (what can be given to new work without swapping), or MemFree on kernels older
 *                       than 3.14 that lack it
 */
public record MemInfo(long totalBytes, long availableBytes) {

    /** @throws IllegalArgumentException when MemTotal is missing */
    public static MemInfo parse(String text) {
        long total = -1;
        long available = -1;
        long free = -1;
        for (String line : text.split("\\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            switch (key) {
                case "MemTotal" -> total = bytes(line.substring(colon + 1));
                case "MemAvailable" -> available = bytes(line.substring(colon + 1));
                case "MemFree" -> free = bytes(line.substring(colon + 1));
                default -> {
                }
            }
        }
        if (total < 0) {
            throw new IllegalArgumentException("no MemTotal in /proc/meminfo");
        }
        return new MemInfo(total, available >= 0 ? available : Math.max(free, 0));
    }

    /** Values are in kibibytes despite the "kB" label; a value without a unit is bytes (HugePages counts aside). */
    private static long bytes(String value) {
        String[] parts = value.trim().split("\\s+");
        long amount = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? amount * 1024 : amount;
    }
}
