package io.freehold.controlplane.platform.web;

import java.util.List;

/**
 * Thrown anywhere in request handling to answer with an RFC 9457 problem. Unchecked so that services
 * can refuse without ceremony; the transaction around a mutating request rolls back whenever the
 * answer is an error.
 */
public class ApiProblem extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiProblem(ProblemType type, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(ProblemType.NOT_FOUND, "no " + what + " " + id);
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(ProblemType.VALIDATION_FAILED, field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ApiProblem malformed(String field, String message) {
        return new ApiProblem(ProblemType.MALFORMED_REQUEST, field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(ProblemType.CONFLICT, detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(ProblemType.FORBIDDEN, detail);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
