package io.freehold.controlplane.platform.web;

import org.springframework.http.HttpStatus;

/**
 * Every kind of error the API returns, each with its RFC 9457 {@code type} URI, HTTP status and title.
 * The list is mirrored in {@code openapi.yaml}; clients switch on {@code type}, never on text.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request"),
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
    TENANT_SUSPENDED("tenant-suspended", HttpStatus.FORBIDDEN, "Tenant suspended"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    CONFLICT("conflict", HttpStatus.CONFLICT, "Conflict"),
    IDEMPOTENCY_IN_PROGRESS("idempotency-in-progress", HttpStatus.CONFLICT, "Request with this Idempotency-Key still in progress"),
    QUOTA_EXCEEDED("quota-exceeded", HttpStatus.CONFLICT, "Quota exceeded"),
    INSUFFICIENT_CAPACITY("insufficient-capacity", HttpStatus.CONFLICT, "Insufficient capacity"),
    BUDGET_EXHAUSTED("budget-exhausted", HttpStatus.CONFLICT, "Monthly budget spent"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    VALIDATION_FAILED("validation-failed", HttpStatus.UNPROCESSABLE_CONTENT, "Validation failed"),
    CHECKSUM_MISMATCH("checksum-mismatch", HttpStatus.UNPROCESSABLE_CONTENT, "Checksum mismatch"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused with a different request"),
    INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    HOST_FAILED("host-failed", HttpStatus.BAD_GATEWAY, "The host could not do it"),
    HOST_UNAVAILABLE("host-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Host unavailable"),
    HOST_TIMEOUT("host-timeout", HttpStatus.GATEWAY_TIMEOUT, "The host did not answer in time");

    private static final String URN = "urn:freehold:problem:";

    private final String slug;
    private final HttpStatus status;
    private final String title;

    ProblemType(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return URN + slug;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
