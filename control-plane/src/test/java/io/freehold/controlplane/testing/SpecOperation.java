package io.freehold.controlplane.testing;

import java.util.Locale;

import io.swagger.v3.oas.models.Operation;
import tools.jackson.core.JsonPointer;

/**
 * One operation of the contract, as swagger-parser read it. Its {@code $ref}s are left in place rather
 * than inlined, so every part of it can still be found in the raw document by JSON pointer.
 *
 * @param method the upper-case HTTP method
 * @param pathTemplate the path as the contract writes it, with {@code {variables}}
 * @param operation swagger-parser's model of the operation
 */
public record SpecOperation(String method, String pathTemplate, Operation operation) {

    public String id() {
        return operation.getOperationId();
    }

    /** Where this operation is in the raw document, e.g. {@code /paths/~1api~1v1~1me/get}. */
    public String pointer() {
        return JsonPointer.empty().appendProperty("paths").appendProperty(pathTemplate)
                .appendProperty(method.toLowerCase(Locale.ROOT)).toString();
    }

    @Override
    public String toString() {
        return id() + " (" + method + " " + pathTemplate + ")";
    }
}
