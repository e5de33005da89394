package io.freehold.controlplane.metering;

import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The periods usage is summed over: UTC hours, days or calendar months. Every one starts on a UTC hour, so it is a
 * whole number of the hourly rows it sums.
 */
enum UsageGranularity {
    @JsonProperty("hour")
    HOUR("hour"),
    @JsonProperty("day")
    DAY("day"),
    @JsonProperty("month")
    MONTH("month");

    private final String truncation;

    UsageGranularity(String truncation) {
        this.truncation = truncation;
    }

    /** The field PostgreSQL's {@code date_trunc} cuts a UTC time to for this period. */
    String truncation() {
        return truncation;
    }

    /** The first instant after the period that starts at {@code start}. */
    Instant end(Instant start) {
        return switch (this) {
            case HOUR -> start.plusSeconds(3600);
            case DAY -> start.atOffset(ZoneOffset.UTC).plusDays(1).toInstant();
            case MONTH -> start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        };
    }
}
