package io.freehold.controlplane.platform.web;

import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Explains why a JSON body could not be read, naming the field, in words a client developer can act on. */
final class JsonErrors {

    private JsonErrors() {
    }

    static FieldError describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return new FieldError("", "the request body is missing or is not JSON");
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldError(path(unknown), "is not a known field");
        }
        if (cause instanceof InvalidFormatException format && format.getTargetType() != null && format.getTargetType().isEnum()) {
            return new FieldError(path(format), "must be one of " + enumValues(format.getTargetType()));
        }
        if (cause instanceof InvalidNullException nullValue) {
            return new FieldError(path(nullValue), "must not be null");
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return new FieldError(path(mismatch), "must be " + describeType(mismatch.getTargetType()));
        }
        if (cause instanceof MismatchedInputException) {
            return new FieldError("", "the request body must be a JSON object");
        }
        if (cause instanceof StreamReadException read) {
            return new FieldError("", "the request body is not valid JSON: " + firstClause(read.getOriginalMessage())
                    + (read.getLocation() == null ? "" : " at line " + read.getLocation().getLineNr()
                    + ", column " + read.getLocation().getColumnNr()));
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return new FieldError(path(jackson), "is invalid");
        }
        return new FieldError("", "the request body could not be read");
    }

    static String describeType(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 date-time such as 2026-01-31T12:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Jackson's messages go on to quote parser internals in parentheses; the first clause is what helps. */
    private static String firstClause(String message) {
        int internals = message.indexOf(" (");
        return internals < 0 ? message : message.substring(0, internals);
    }

    private static String enumValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> WireNames.of((Enum<?>) constant))
                .collect(Collectors.joining(", "));
    }
}
