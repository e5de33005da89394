package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class LocationStore {

    private static final String COLUMNS = "id, site_id, name, kind, created_at, updated_at";

    private final JdbcClient jdbc;

    LocationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the site already has a location of that name */
    boolean insert(Location location) {
        return jdbc.sql("""
                        insert into site_location (id, site_id, name, kind, created_at, updated_at)
                        values (:id, :site, :name, :kind, :createdAt, :updatedAt)
                        on conflict (site_id, name) do nothing
                        """)
                .param("id", location.id())
                .param("site", location.siteId())
                .param("name", location.name())
                .param("kind", location.kind().wireName())
                .param("createdAt", utc(location.createdAt()))
                .param("updatedAt", utc(location.updatedAt()))
                .update() == 1;
    }

    /** Reads and locks the location, so that deleting it and putting racks in it happen one after the other. */
    Optional<Location> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from site_location where id = :id for update")
                .param("id", id).query(LocationStore::map).optional();
    }

    /** Reads the location and keeps it from being deleted until this transaction ends. */
    Optional<Location> lockShared(String id) {
        return jdbc.sql("select " + COLUMNS + " from site_location where id = :id for share")
                .param("id", id).query(LocationStore::map).optional();
    }

    List<Location> list(String siteId, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from site_location
                        where site_id = :site
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("site", siteId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(LocationStore::map)
                .list();
    }

    /** @return false when the site already has another location of the new name */
    boolean update(Location location) {
        try {
            jdbc.sql("update site_location set name = :name, kind = :kind, updated_at = :updatedAt where id = :id")
                    .param("id", location.id())
                    .param("name", location.name())
                    .param("kind", location.kind().wireName())
                    .param("updatedAt", utc(location.updatedAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The names of the racks standing in the location, by name. */
    List<String> rackNames(String locationId) {
        return jdbc.sql("select name from rack where location_id = :location order by name")
                .param("location", locationId).query(String.class).list();
    }

    void delete(String id) {
        jdbc.sql("delete from site_location where id = :id").param("id", id).update();
    }

    private static Location map(ResultSet rs, int row) throws SQLException {
        return new Location(rs.getString("id"), rs.getString("site_id"), rs.getString("name"),
                LocationKind.fromWireName(rs.getString("kind")), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
