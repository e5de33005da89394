package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TenantStore {

    private static final String COLUMNS = "id, name, slug, status, suspended_reason, created_at, updated_at";

    private final JdbcClient jdbc;

    TenantStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the slug is taken */
    boolean insert(Tenant tenant) {
        return jdbc.sql("""
                        insert into tenant (id, name, slug, status, suspended_reason, created_at, updated_at)
                        values (:id, :name, :slug, :status, :reason, :createdAt, :updatedAt)
                        on conflict (slug) do nothing
                        """)
                .param("id", tenant.id())
                .param("name", tenant.name())
                .param("slug", tenant.slug())
                .param("status", tenant.status().wireName())
                .param("reason", tenant.suspendedReason())
                .param("createdAt", utc(tenant.createdAt()))
                .param("updatedAt", utc(tenant.updatedAt()))
                .update() == 1;
    }

    Optional<Tenant> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from tenant where id = :id")
                .param("id", id)
                .query(TenantStore::map)
                .optional();
    }

    /** Reads and locks the row, so concurrent changes to one tenant apply one after the other. */
    Optional<Tenant> findForUpdate(String id) {
        return jdbc.sql("select " + COLUMNS + " from tenant where id = :id for update")
                .param("id", id)
                .query(TenantStore::map)
                .optional();
    }

    List<Tenant> list(TenantStatus status, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from tenant
                        where (cast(:status as text) is null or status = :status)
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("status", status == null ? null : status.wireName())
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(TenantStore::map)
                .list();
    }

    void update(Tenant tenant) {
        jdbc.sql("""
                        update tenant set name = :name, status = :status, suspended_reason = :reason, updated_at = :updatedAt
                        where id = :id
                        """)
                .param("id", tenant.id())
                .param("name", tenant.name())
                .param("status", tenant.status().wireName())
                .param("reason", tenant.suspendedReason())
                .param("updatedAt", utc(tenant.updatedAt()))
                .update();
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getString("id"), rs.getString("name"), rs.getString("slug"),
                TenantStatus.fromWireName(rs.getString("status")), rs.getString("suspended_reason"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
