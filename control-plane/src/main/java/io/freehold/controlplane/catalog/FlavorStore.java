package io.freehold.controlplane.catalog;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class FlavorStore {

    private static final String COLUMNS = "f.id, f.name, f.vcpus, f.memory_mib, f.root_disk_gib, f.visibility, f.disabled, f.created_at, f.updated_at";

    /** The flavors a tenant may choose for something new: enabled, and public or granted to it. */
    private static final String USABLE_BY_TENANT = """
             not f.disabled
             and (f.visibility = 'public'
                  or exists (select 1 from flavor_tenant g where g.flavor_id = f.id and g.tenant_id = :tenant))
            """;

    private final JdbcClient jdbc;

    FlavorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the name is taken */
    boolean insert(Flavor flavor) {
        return jdbc.sql("""
                        insert into flavor (id, name, vcpus, memory_mib, root_disk_gib, visibility, disabled, created_at, updated_at)
                        values (:id, :name, :vcpus, :memoryMib, :rootDiskGib, :visibility, :disabled, :createdAt, :updatedAt)
                        on conflict (name) do nothing
                        """)
                .param("id", flavor.id())
                .param("name", flavor.name())
                .param("vcpus", flavor.vcpus())
                .param("memoryMib", flavor.memoryMib())
                .param("rootDiskGib", flavor.rootDiskGib())
                .param("visibility", flavor.visibility().wireName())
                .param("disabled", flavor.disabled())
                .param("createdAt", utc(flavor.createdAt()))
                .param("updatedAt", utc(flavor.updatedAt()))
                .update() == 1;
    }

    Optional<Flavor> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from flavor f where f.id = :id").param("id", id).query(FlavorStore::map).optional();
    }

    /**
     * Reads and locks the flavor for a change or a delete. Whatever must keep a flavor from being deleted
     * under it (an instance being created on it) takes the same row {@code for share} in its transaction,
     * so the two happen one after the other and the delete can see, and refuse, what refers to the flavor.
     */
    Optional<Flavor> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from flavor f where f.id = :id for update").param("id", id).query(FlavorStore::map).optional();
    }

    List<Flavor> list(PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from flavor f
                        where (cast(:after as text) is null or f.id > :after)
                        order by f.id
                        limit :limit
                        """)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(FlavorStore::map)
                .list();
    }

    /** Changes what may change: the name, the visibility and the disabled flag; never the sizes. @return false when the new name is taken */
    boolean update(Flavor flavor) {
        try {
            jdbc.sql("update flavor set name = :name, visibility = :visibility, disabled = :disabled, updated_at = :updatedAt where id = :id")
                    .param("id", flavor.id())
                    .param("name", flavor.name())
                    .param("visibility", flavor.visibility().wireName())
                    .param("disabled", flavor.disabled())
                    .param("updatedAt", utc(flavor.updatedAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Deletes the flavor and, by cascade, its grants. Call after {@link #lock}. */
    void delete(String id) {
        jdbc.sql("delete from flavor where id = :id").param("id", id).update();
    }

    /** Adds the tenant to the flavor's access list unless it is there; @return the grant as stored, the first one when repeated */
    FlavorGrant grant(String flavorId, String tenantId, Instant now) {
        jdbc.sql("""
                        insert into flavor_tenant (flavor_id, tenant_id, granted_at) values (:flavor, :tenant, :now)
                        on conflict (flavor_id, tenant_id) do nothing
                        """)
                .param("flavor", flavorId)
                .param("tenant", tenantId)
                .param("now", utc(now))
                .update();
        return jdbc.sql("select flavor_id, tenant_id, granted_at from flavor_tenant where flavor_id = :flavor and tenant_id = :tenant")
                .param("flavor", flavorId)
                .param("tenant", tenantId)
                .query(FlavorStore::mapGrant)
                .single();
    }

    /** @return whether there was a grant to remove */
    boolean revoke(String flavorId, String tenantId) {
        return jdbc.sql("delete from flavor_tenant where flavor_id = :flavor and tenant_id = :tenant")
                .param("flavor", flavorId)
                .param("tenant", tenantId)
                .update() == 1;
    }

    /** The flavor's access list, by tenant id. */
    List<FlavorGrant> grants(String flavorId, PageRequest page) {
        return jdbc.sql("""
                        select flavor_id, tenant_id, granted_at
                          from flavor_tenant
                         where flavor_id = :flavor
                           and (cast(:after as text) is null or tenant_id > :after)
                         order by tenant_id
                         limit :limit
                        """)
                .param("flavor", flavorId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(FlavorStore::mapGrant)
                .list();
    }

    Optional<Flavor> findUsableBy(String tenantId, String flavorId) {
        return jdbc.sql("select " + COLUMNS + " from flavor f where f.id = :id and" + USABLE_BY_TENANT)
                .param("id", flavorId)
                .param("tenant", tenantId)
                .query(FlavorStore::map)
                .optional();
    }

    /** {@link #findUsableBy} with the row taken {@code for share}, which a delete's {@link #lock} waits for. */
    Optional<Flavor> holdUsableBy(String tenantId, String flavorId) {
        return jdbc.sql("select " + COLUMNS + " from flavor f where f.id = :id and" + USABLE_BY_TENANT + " for share of f")
                .param("id", flavorId)
                .param("tenant", tenantId)
                .query(FlavorStore::map)
                .optional();
    }

    List<Flavor> listUsableBy(String tenantId, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + " from flavor f where" + USABLE_BY_TENANT + """
                          and (cast(:after as text) is null or f.id > :after)
                        order by f.id
                        limit :limit
                        """)
                .param("tenant", tenantId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(FlavorStore::map)
                .list();
    }

    private static Flavor map(ResultSet rs, int row) throws SQLException {
        return new Flavor(rs.getString("id"), rs.getString("name"), rs.getInt("vcpus"), rs.getLong("memory_mib"),
                rs.getLong("root_disk_gib"), FlavorVisibility.fromWireName(rs.getString("visibility")), rs.getBoolean("disabled"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static FlavorGrant mapGrant(ResultSet rs, int row) throws SQLException {
        return new FlavorGrant(rs.getString("flavor_id"), rs.getString("tenant_id"), instant(rs, "granted_at"));
    }
}
