package io.freehold.controlplane.platform.security;

import java.io.IOException;

import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.platform.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/v1} request but the published spec needs {@code Authorization: Bearer <token>};
 * the resolved {@link Caller} is put on the request for controllers to receive.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

    static final String CALLER_ATTRIBUTE = Caller.class.getName();
    private static final String BEARER = "Bearer ";

    private final TokenAuthenticator authenticator;
    private final ProblemWriter problems;

    AuthenticationFilter(TokenAuthenticator authenticator, ProblemWriter problems) {
        this.authenticator = authenticator;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || path.equals("/api/v1/openapi.yaml");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            problems.write(request, response, new ApiProblem(ProblemType.UNAUTHENTICATED,
                    "send an API token as 'Authorization: Bearer <token>'"));
            return;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            problems.write(request, response, new ApiProblem(ProblemType.UNAUTHENTICATED,
                    "only bearer tokens are accepted: 'Authorization: Bearer <token>'"));
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(header.substring(BEARER.length()).trim());
        } catch (ApiProblem problem) {
            problems.write(request, response, problem);
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }
}
