package io.freehold.controlplane.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Operator settings under {@code freehold.*}. Environment variables bind by Spring's relaxed rules:
 * {@code FREEHOLD_HOME} is {@code freehold.home}, {@code FREEHOLD_DB_URL} is {@code freehold.db.url}.
 *
 * @param home data directory; embedded PostgreSQL data and the bootstrap admin token live here
 * @param db an external PostgreSQL server; a blank url means the embedded one under {@code home}
 * @param embeddedDb port of the embedded server, 0 for any free port
 * @param api limits of the REST API
 * @param bootstrap the first operator account, created on first start only
 * @param defaultQuota limits a new tenant gets unless the operator says otherwise
 */
@ConfigurationProperties("freehold")
public record FreeholdProperties(
        Path home,
        Db db,
        EmbeddedDb embeddedDb,
        Api api,
        Bootstrap bootstrap,
        DefaultQuota defaultQuota) {

    public record Db(String url, String user, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    public record EmbeddedDb(int port) {
    }

    public record Api(DataSize maxBodySize) {
    }

    public record Bootstrap(String adminEmail) {
    }

    public record DefaultQuota(int vcpus, long memoryMib, long diskGib, int instances) {
    }

    public Path adminTokenFile() {
        return home.resolve("admin.token");
    }
}
