package io.freehold.controlplane.catalog;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code freehold.images}.
 *
 * @param dir where image files live, named by their SHA-256; every replica must mount the same directory
 *            (a shared filesystem in production), since any replica may take an upload and any may serve it
 *            to an agent. Defaults to {@code $FREEHOLD_HOME/images}; {@code FREEHOLD_IMAGES_DIR} overrides it.
 */
@ConfigurationProperties("freehold.images")
record ImageProperties(Path dir) {
}
