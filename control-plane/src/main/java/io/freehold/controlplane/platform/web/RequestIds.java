package io.freehold.controlplane.platform.web;

import java.util.regex.Pattern;

import org.slf4j.MDC;

/** The request id of the current request, kept in the logging MDC so every log line carries it. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static String current() {
        return MDC.get(MDC_KEY);
    }

    static boolean acceptable(String candidate) {
        return candidate != null && ACCEPTABLE.matcher(candidate).matches();
    }
}
