package io.freehold.controlplane.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may use an image: every tenant ({@code public}, made by an operator) or only the tenant that owns it. */
public enum ImageVisibility {
    @JsonProperty("public")
    PUBLIC,
    @JsonProperty("private")
    PRIVATE
}
