package io.freehold.controlplane.platform.web;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that leaves a controller into a problem response. Anything unexpected is a
 * 500 whose log line carries the request id; bad input never reaches that branch.
 */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Problem> apiProblem(ApiProblem problem, HttpServletRequest request) {
        return respond(problem.type(), problem.getMessage(), request, problem.errors());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        FieldError error = JsonErrors.describe(e);
        return respond(ProblemType.MALFORMED_REQUEST, error.field().isEmpty() ? error.message() : error.field() + ": " + error.message(),
                request, error.field().isEmpty() ? List.of() : List.of(error));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Problem> invalidBody(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return respond(ProblemType.VALIDATION_FAILED, summary(errors), request, errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Problem> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        List<FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldError(result.getMethodParameter().getParameterName(), message(error))))
                .toList();
        return respond(ProblemType.MALFORMED_REQUEST, summary(errors), request, errors);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Problem> wrongParameterType(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a valid value" : JsonErrors.describeType(e.getRequiredType());
        FieldError error = new FieldError(e.getName(), "must be " + expected);
        return respond(ProblemType.MALFORMED_REQUEST, summary(List.of(error)), request, List.of(error));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        FieldError error = new FieldError(e.getParameterName(), "is required");
        return respond(ProblemType.MALFORMED_REQUEST, summary(List.of(error)), request, List.of(error));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Problem> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        FieldError error = new FieldError(e.getHeaderName(), "header is required");
        return respond(ProblemType.MALFORMED_REQUEST, summary(List.of(error)), request, List.of(error));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Problem> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(ProblemType.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here; allowed: "
                + String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()), request, List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Problem> unsupportedMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json", request, List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(ProblemType.NOT_ACCEPTABLE, "this resource is available as " + e.getSupportedMediaTypes(), request, List.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Problem> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ProblemType.NOT_FOUND, "no such resource: " + request.getRequestURI(), request, List.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error handling {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(ProblemType.INTERNAL, "an internal error occurred; quote request id " + RequestIds.current()
                + " to your operator", request, List.of());
    }

    private static ResponseEntity<Problem> respond(ProblemType type, String detail, HttpServletRequest request, List<FieldError> errors) {
        return Problem.of(type, detail, request.getRequestURI(), errors).toResponse();
    }

    private static String summary(List<FieldError> errors) {
        return errors.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; "));
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }
}
