package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.security.Role;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserStore {

    private static final String COLUMNS = "id, tenant_id, email, name, role, password_hash, created_at, updated_at";

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the email is taken (emails are unique across the installation, ignoring case) */
    boolean insert(User user) {
        return jdbc.sql("""
                        insert into app_user (id, tenant_id, email, name, role, password_hash, created_at, updated_at)
                        values (:id, :tenant, :email, :name, :role, :password, :createdAt, :updatedAt)
                        on conflict ((lower(email))) do nothing
                        """)
                .param("id", user.id())
                .param("tenant", user.tenantId())
                .param("email", user.email())
                .param("name", user.name())
                .param("role", user.role().wireName())
                .param("password", user.passwordHash())
                .param("createdAt", utc(user.createdAt()))
                .param("updatedAt", utc(user.updatedAt()))
                .update() == 1;
    }

    Optional<User> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from app_user where id = :id")
                .param("id", id)
                .query(UserStore::map)
                .optional();
    }

    /**
     * Lists tenant users, of one tenant or of all tenants.
     *
     * @param tenantId the tenant, or null for every tenant
     */
    List<User> listTenantUsers(String tenantId, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from app_user
                        where tenant_id is not null
                          and (cast(:tenant as text) is null or tenant_id = :tenant)
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("tenant", tenantId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(UserStore::map)
                .list();
    }

    List<User> listOpsUsers(PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from app_user
                        where tenant_id is null
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(UserStore::map)
                .list();
    }

    void update(User user) {
        jdbc.sql("update app_user set name = :name, role = :role, password_hash = :password, updated_at = :updatedAt where id = :id")
                .param("id", user.id())
                .param("name", user.name())
                .param("role", user.role().wireName())
                .param("password", user.passwordHash())
                .param("updatedAt", utc(user.updatedAt()))
                .update();
    }

    void delete(String id) {
        jdbc.sql("delete from app_user where id = :id").param("id", id).update();
    }

    /**
     * Counts the holders of a role within a tenant (or among operators when {@code tenantId} is null),
     * locking their rows so that two admins removing each other at once cannot both succeed.
     */
    int lockAndCountRole(String tenantId, Role role) {
        return jdbc.sql("""
                        select id from app_user
                        where tenant_id is not distinct from :tenant and role = :role
                        for update
                        """)
                .param("tenant", tenantId)
                .param("role", role.wireName())
                .query(String.class)
                .list()
                .size();
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(rs.getString("id"), rs.getString("tenant_id"), rs.getString("email"), rs.getString("name"),
                Role.fromWireName(rs.getString("role")), rs.getString("password_hash"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
