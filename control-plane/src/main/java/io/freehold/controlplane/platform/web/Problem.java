package io.freehold.controlplane.platform.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The body of every error response ({@code application/problem+json}, RFC 9457), with the request id so
 * a user can quote it to an operator, who finds the same id in the logs.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        List<FieldError> errors) {

    public static final MediaType MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON;

    public static Problem of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status().value(), detail, instance, RequestIds.current(), errors);
    }

    public ResponseEntity<Problem> toResponse() {
        return ResponseEntity.status(status).contentType(MEDIA_TYPE).body(this);
    }
}
