package io.freehold.controlplane.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.FreeholdProperties;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Callers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Runs every mutating API request (POST, PUT, PATCH, DELETE) in one database transaction that commits
 * only when the answer is a success, so an error never leaves half-written state; and gives POSTs
 * {@code Idempotency-Key} semantics (ARCHITECTURE §3.5): the first answer to a key is stored in that same
 * transaction and replayed for 24 h, a different request under the same key is 422, one still running
 * is 409. The response reaches the client only after the commit. Refusals (403) are audited.
 *
 * <p>One kind of request is let through unread: a {@code PUT} of {@code application/octet-stream}, the
 * upload of a file (an image part, which may be gigabytes). Buffering it would hold it in memory, and a
 * transaction around it would hold a database connection for minutes; its handler streams the body and
 * keeps its own short transactions, with the same all-or-nothing rule.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class MutationFilter extends OncePerRequestFilter {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    /** The content type of file uploads, which stream past this filter (see above). */
    private static final String STREAMED_TYPE = "application/octet-stream";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern KEY_SHAPE = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final IdempotencyStore store;
    private final AuditTrail audit;
    private final ProblemWriter problems;
    private final TransactionTemplate inRequest;
    private final TransactionTemplate afterRollback;
    private final long maxBodyBytes;

    MutationFilter(IdempotencyStore store, AuditTrail audit, ProblemWriter problems, PlatformTransactionManager transactions,
                   FreeholdProperties properties) {
        this.store = store;
        this.audit = audit;
        this.problems = problems;
        this.inRequest = new TransactionTemplate(transactions);
        this.afterRollback = new TransactionTemplate(transactions);
        this.afterRollback.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.maxBodyBytes = properties.api().maxBodySize().toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || !MUTATING.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isStreamedUpload(request)) {
            chain.doFilter(request, response);
            Caller caller = Callers.of(request);
            if (caller != null && response.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
                audit.denied(caller, "http." + request.getMethod().toLowerCase(), request.getRequestURI(), "forbidden");
            }
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            problems.write(request, response, new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE,
                    "request bodies are limited to " + maxBodyBytes + " bytes"));
            return;
        }
        String key = request.getHeader(IDEMPOTENCY_KEY);
        if (key != null && !KEY_SHAPE.matcher(key).matches()) {
            problems.write(request, response, ApiProblem.malformed(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters"));
            return;
        }
        Caller caller = Callers.of(request);
        IdempotencyStore.Scope scope = key == null || caller == null || !"POST".equals(request.getMethod())
                ? null
                : new IdempotencyStore.Scope(caller.userId(), request.getMethod(), request.getRequestURI(),
                        new IdempotencyKey(caller.userId(), key));
        byte[] fingerprint = fingerprint(request.getQueryString(), body);

        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        CachedBodyRequest replayable = new CachedBodyRequest(request, body);
        boolean[] rolledBack = {false};
        try {
            inRequest.executeWithoutResult(tx -> {
                try {
                    if (scope != null && answeredFromRecord(scope, fingerprint, request, recorded)) {
                        return;
                    }
                    chain.doFilter(replayable, recorded);
                } catch (IOException | ServletException e) {
                    throw new FilterChainFailure(e);
                }
                if (recorded.getStatus() >= 400) {
                    tx.setRollbackOnly();
                    rolledBack[0] = true;
                } else if (scope != null) {
                    store.save(scope, fingerprint, StoredResponse.of(recorded));
                }
            });
        } catch (FilterChainFailure failure) {
            if (failure.getCause() instanceof ServletException servlet) {
                throw servlet;
            }
            throw (IOException) failure.getCause();
        }
        if (rolledBack[0] && scope != null && recorded.getStatus() < 500) {
            afterRollback.executeWithoutResult(tx -> store.save(scope, fingerprint, StoredResponse.of(recorded)));
        }
        if (rolledBack[0] && caller != null && recorded.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
            audit.denied(caller, "http." + request.getMethod().toLowerCase(), request.getRequestURI(), "forbidden");
        }
        recorded.copyBodyToResponse();
    }

    private static boolean isStreamedUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return "PUT".equals(request.getMethod()) && type != null && type.toLowerCase().startsWith(STREAMED_TYPE);
    }

    private boolean answeredFromRecord(IdempotencyStore.Scope scope, byte[] fingerprint, HttpServletRequest request,
                                       ContentCachingResponseWrapper response) throws IOException {
        if (!store.tryLock(scope)) {
            problems.write(request, response, new ApiProblem(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                    "a request with this Idempotency-Key is still being processed; retry shortly"));
            return true;
        }
        var previous = store.find(scope);
        if (previous.isEmpty()) {
            return false;
        }
        if (!MessageDigest.isEqual(previous.get().fingerprint(), fingerprint)) {
            problems.write(request, response, ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request in the last 24 hours",
                    List.of(new FieldError(IDEMPOTENCY_KEY, "was used with a different body or query")));
            return true;
        }
        previous.get().response().replay(response);
        response.setHeader(REPLAYED, "true");
        return true;
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        }
    }

    private static byte[] fingerprint(String query, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((query == null ? "" : query).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Carries a checked exception of the filter chain through the transaction callback. */
    private static final class FilterChainFailure extends RuntimeException {
        FilterChainFailure(Exception cause) {
            super(cause);
        }
    }
}
