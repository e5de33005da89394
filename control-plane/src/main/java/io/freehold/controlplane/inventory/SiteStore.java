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
class SiteStore {

    private static final String COLUMNS = "id, name, address, timezone, created_at, updated_at";

    private final JdbcClient jdbc;

    SiteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the name is taken */
    boolean insert(Site site) {
        return jdbc.sql("""
                        insert into site (id, name, address, timezone, created_at, updated_at)
                        values (:id, :name, :address, :timezone, :createdAt, :updatedAt)
                        on conflict (name) do nothing
                        """)
                .param("id", site.id())
                .param("name", site.name())
                .param("address", site.address())
                .param("timezone", site.timezone())
                .param("createdAt", utc(site.createdAt()))
                .param("updatedAt", utc(site.updatedAt()))
                .update() == 1;
    }

    Optional<Site> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from site where id = :id").param("id", id).query(SiteStore::map).optional();
    }

    Optional<Site> findByName(String name) {
        return jdbc.sql("select " + COLUMNS + " from site where name = :name").param("name", name).query(SiteStore::map).optional();
    }

    /** Reads and locks the site, so that deleting it and adding to it happen one after the other. */
    Optional<Site> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from site where id = :id for update").param("id", id).query(SiteStore::map).optional();
    }

    /** Reads the site and keeps it from being deleted or changed until this transaction ends. */
    Optional<Site> lockShared(String id) {
        return jdbc.sql("select " + COLUMNS + " from site where id = :id for share").param("id", id).query(SiteStore::map).optional();
    }

    List<Site> list(String name, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from site
                        where (cast(:name as text) is null or name = :name)
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("name", name)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(SiteStore::map)
                .list();
    }

    /** @return false when the new name is taken */
    boolean update(Site site) {
        try {
            jdbc.sql("update site set name = :name, address = :address, timezone = :timezone, updated_at = :updatedAt where id = :id")
                    .param("id", site.id())
                    .param("name", site.name())
                    .param("address", site.address())
                    .param("timezone", site.timezone())
                    .param("updatedAt", utc(site.updatedAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The names of the racks in the site, by name. */
    List<String> rackNames(String siteId) {
        return jdbc.sql("select name from rack where site_id = :site order by name").param("site", siteId).query(String.class).list();
    }

    /** The names of the locations in the site, by name. */
    List<String> locationNames(String siteId) {
        return jdbc.sql("select name from site_location where site_id = :site order by name").param("site", siteId).query(String.class).list();
    }

    void delete(String id) {
        jdbc.sql("delete from site where id = :id").param("id", id).update();
    }

    private static Site map(ResultSet rs, int row) throws SQLException {
        return new Site(rs.getString("id"), rs.getString("name"), rs.getString("address"), rs.getString("timezone"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
