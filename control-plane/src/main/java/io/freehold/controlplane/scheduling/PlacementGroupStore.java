package io.freehold.controlplane.scheduling;

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
class PlacementGroupStore {

    private static final String SELECT = """
            select g.id, g.tenant_id, g.name, g.policy, g.scoring, g.created_at,
                   (select count(*) from allocation a where a.group_id = g.id) as members
              from placement_group g
            """;

    private final JdbcClient jdbc;

    PlacementGroupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the tenant already has a group of that name */
    boolean insert(PlacementGroup group) {
        return jdbc.sql("""
                        insert into placement_group (id, tenant_id, name, policy, scoring, created_at)
                        values (:id, :tenant, :name, :policy, :scoring, :createdAt)
                        on conflict (tenant_id, name) do nothing
                        """)
                .param("id", group.id())
                .param("tenant", group.tenantId())
                .param("name", group.name())
                .param("policy", group.policy())
                .param("scoring", group.scoring())
                .param("createdAt", utc(group.createdAt()))
                .update() == 1;
    }

    Optional<PlacementGroup> find(String id) {
        return jdbc.sql(SELECT + " where g.id = :id").param("id", id).query(PlacementGroupStore::map).optional();
    }

    /** Reads and locks the group: placements into one group check its rule one after the other. */
    Optional<PlacementGroup> lock(String id) {
        return jdbc.sql(SELECT + " where g.id = :id for update of g").param("id", id).query(PlacementGroupStore::map).optional();
    }

    /** Takes the tenant's group {@code for share}, which {@link #lock} waits for. @return false when the tenant has no such group */
    boolean holdOwnedBy(String tenantId, String id) {
        return jdbc.sql("select 1 from placement_group where id = :id and tenant_id = :tenant for share")
                .param("id", id)
                .param("tenant", tenantId)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    /** @param tenantId null for every tenant's groups */
    List<PlacementGroup> list(String tenantId, PageRequest page) {
        return jdbc.sql(SELECT + """
                         where (cast(:tenant as text) is null or g.tenant_id = :tenant)
                           and (cast(:after as text) is null or g.id > :after)
                         order by g.id
                         limit :limit
                        """)
                .param("tenant", tenantId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(PlacementGroupStore::map)
                .list();
    }

    void delete(String id) {
        jdbc.sql("delete from placement_group where id = :id").param("id", id).update();
    }

    private static PlacementGroup map(ResultSet rs, int row) throws SQLException {
        return new PlacementGroup(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"), rs.getString("policy"),
                rs.getString("scoring"), rs.getInt("members"), instant(rs, "created_at"));
    }
}
