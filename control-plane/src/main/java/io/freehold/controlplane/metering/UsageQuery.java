package io.freehold.controlplane.metering;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.freehold.controlplane.metering.decision.Meter;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.QueryParams;

/**
 * What one usage report covers: one tenant's hours in [from, to), summed per period of the granularity, optionally
 * of one meter and one resource.
 *
 * @param meter      null for every meter
 * @param resourceId null for every resource
 */
record UsageQuery(String tenantId, Instant from, Instant to, UsageGranularity granularity, Meter meter, String resourceId) {

    /** The longest range one report covers: a leap year. */
    private static final Duration LONGEST = Duration.ofDays(366);
    private static final int LONGEST_RESOURCE_ID = 200;

    /**
     * The query the API's parameters ask for, with the defaults filled in: from the start of {@code now}'s UTC month
     * to the start of the next hour, by day.
     *
     * @throws ApiProblem 400 naming the parameter that is malformed or out of range
     */
    static UsageQuery parse(String tenantId, UsageParameters parameters, Instant now) {
        Instant from = parameters.from() == null
                ? now.atOffset(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant()
                : wholeHour("from", parameters.from());
        Instant to = parameters.to() == null ? now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)) : wholeHour("to", parameters.to());
        if (!from.isBefore(to)) {
            throw ApiProblem.malformed("to", "must be after from (" + from + ")");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw ApiProblem.malformed("to", "must be at most 366 days after from (" + from + ")");
        }
        UsageGranularity granularity = parameters.granularity() == null
                ? UsageGranularity.DAY
                : QueryParams.enumValue("granularity", parameters.granularity(), UsageGranularity.class);
        return new UsageQuery(tenantId, from, to, granularity, meter(parameters.meter()), resourceId(parameters.resourceId()));
    }

    private static Instant wholeHour(String parameter, String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw notATime(parameter);
        }
        // Instant also reads signed years of five digits and more, which RFC 3339 does not have and PostgreSQL cannot hold.
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        if (year < 1 || year > 9999) {
            throw notATime(parameter);
        }
        if (!instant.equals(instant.truncatedTo(ChronoUnit.HOURS))) {
            throw ApiProblem.malformed(parameter, "must be on a whole hour, such as " + instant.truncatedTo(ChronoUnit.HOURS));
        }
        return instant;
    }

    private static ApiProblem notATime(String parameter) {
        return ApiProblem.malformed(parameter, "must be an RFC 3339 UTC time on a whole hour, such as 2026-03-01T00:00:00Z");
    }

    private static Meter meter(String value) {
        if (value == null) {
            return null;
        }
        return Meter.named(value).orElseThrow(() -> ApiProblem.malformed("meter", "must be one of "
                + Arrays.stream(Meter.values()).map(Meter::meterName).collect(Collectors.joining(", "))));
    }

    private static String resourceId(String value) {
        if (value != null && (value.isEmpty() || value.length() > LONGEST_RESOURCE_ID)) {
            throw ApiProblem.malformed("resourceId", "must be a resource's id, 1 to " + LONGEST_RESOURCE_ID + " characters");
        }
        return value;
    }
}
