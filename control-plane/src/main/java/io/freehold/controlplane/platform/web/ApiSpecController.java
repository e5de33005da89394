package io.freehold.controlplane.platform.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the hand-written contract from the api-spec module, byte for byte; it needs no token. */
@RestController
class ApiSpecController {

    static final String SPEC_RESOURCE = "freehold/api/openapi.yaml";
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @GetMapping(value = "/api/v1/openapi.yaml", produces = "application/yaml")
    ResponseEntity<Resource> spec() {
        return ResponseEntity.ok().contentType(YAML).body(new ClassPathResource(SPEC_RESOURCE));
    }
}
