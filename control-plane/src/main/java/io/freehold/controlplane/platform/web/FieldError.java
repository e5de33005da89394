package io.freehold.controlplane.platform.web;

/**
 * One thing wrong with one input.
 *
 * @param field where: a JSON pointer-like path into the body ({@code quota.vcpus}), a query parameter
 *              name, a path parameter name or a header name
 * @param message what is wrong, for a person
 */
public record FieldError(String field, String message) {
}
