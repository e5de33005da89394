package io.freehold.controlplane.metering;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The instances metering knows of: those with at least one fact in the lifecycle log, and the tenant each belongs to. */
@Repository
class MeteredInstanceStore {

    private final JdbcClient jdbc;

    MeteredInstanceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The instance's tenant, as its facts say; empty when the log holds no fact of it. */
    Optional<String> tenantOf(String instanceId) {
        return jdbc.sql("select tenant_id from lifecycle_event where instance_id = :instance limit 1")
                .param("instance", instanceId)
                .query(String.class)
                .optional();
    }

    /** Every instance of the tenant with facts, deleted long ago or not, sorted. */
    List<String> ofTenant(String tenantId) {
        return jdbc.sql("select distinct instance_id from lifecycle_event where tenant_id = :tenant order by instance_id")
                .param("tenant", tenantId)
                .query(String.class)
                .list();
    }
}
