package io.freehold.controlplane.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates JSON values against schemas inside the contract, addressed by JSON pointer. The JSON
 * Schema 2020-12 validator (the dialect of OpenAPI 3.1) is given the whole raw document, so
 * {@code $ref}s between components resolve exactly as written, and formats such as {@code date-time}
 * are asserted, not just annotated. Every schema is compiled up front; compiled schemas are immutable,
 * which makes validation safe from any number of threads.
 */
final class SpecSchemas {

    /** A name for the document that cannot resolve to anything real, so nothing is ever fetched. */
    private static final String DOCUMENT_IRI = "https://freehold.invalid/api/openapi.json";

    private final Map<String, Schema> byPointer;

    SpecSchemas(JsonNode document, Collection<String> pointers) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(Map.of(DOCUMENT_IRI, JsonMapper.builder().build().writeValueAsString(document)))
                .schemaRegistryConfig(config));
        this.byPointer = pointers.stream().distinct().collect(Collectors.toUnmodifiableMap(Function.identity(), pointer -> {
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
            schema.initializeValidators();
            return schema;
        }));
    }

    /**
     * @param pointer where the schema is in the document, e.g. {@code /components/schemas/Tenant}
     * @return what is wrong with {@code value}, one message per violation; empty when it conforms
     */
    List<String> validate(String pointer, JsonNode value) {
        Schema schema = byPointer.get(pointer);
        if (schema == null) {
            throw new IllegalArgumentException("no schema was compiled at " + pointer);
        }
        return schema.validate(value).stream().map(Error::toString).toList();
    }
}
