package io.freehold.agent.facts;

/** The one-minute load average, the first field of {@code /proc/loadavg}. */
public final class LoadAverage {

    private LoadAverage() {
    }

    /** @throws IllegalArgumentException when the text does not start with a number */
    public static double oneMinute(String loadavg) {
        String[] fields = loadavg.trim().split("\\s+");
        try {
            return Double.parseDouble(fields[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + loadavg.trim() + "' is not /proc/loadavg text", e);
        }
    }
}
