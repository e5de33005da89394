package io.freehold.controlplane.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an image is in its short life: {@code uploading} until every part has arrived and matched its
 * declared SHA-256, then {@code active} (usable by instances) for good; {@code failed} when a part arrived
 * intact but cannot be used (a qcow2 disk that is not one, or that names a backing file), which no retry
 * can mend.
 */
public enum ImageStatus {
    @JsonProperty("uploading")
    UPLOADING,
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("failed")
    FAILED;

    /** The spelling in JSON, in query parameters and in the database. */
    public String wireName() {
        return name().toLowerCase();
    }

    static ImageStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
