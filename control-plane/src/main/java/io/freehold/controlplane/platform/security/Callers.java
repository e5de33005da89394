package io.freehold.controlplane.platform.security;

import jakarta.servlet.http.HttpServletRequest;

/** Reads the authenticated caller off a request, for filters that run after authentication. */
public final class Callers {

    private Callers() {
    }

    /** @return the caller, or null when the request was not authenticated */
    public static Caller of(HttpServletRequest request) {
        return (Caller) request.getAttribute(AuthenticationFilter.CALLER_ATTRIBUTE);
    }
}
