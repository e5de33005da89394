package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.inventory.decision.RackUnits.Occupant;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RackStore {

    /** What to list: each filter null for "any". */
    record Filter(String siteId, String locationId, RackStatus status) {
    }

    private static final String COLUMNS = """
            id, site_id, location_id, name, facility_id, asset_tag, row_name, height_u, numbering, power_budget_kw,
            status, created_at, updated_at""";

    private final JdbcClient jdbc;

    RackStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the site already has a rack of that name */
    boolean insert(Rack rack) {
        return jdbc.sql("""
                        insert into rack (id, site_id, location_id, name, facility_id, asset_tag, row_name, height_u, numbering,
                                          power_budget_kw, status, created_at, updated_at)
                        values (:id, :site, :location, :name, :facilityId, :assetTag, :row, :heightU, :numbering,
                                :powerBudgetKw, :status, :createdAt, :updatedAt)
                        on conflict (site_id, name) do nothing
                        """)
                .param("id", rack.id())
                .param("site", rack.siteId())
                .param("location", rack.locationId())
                .param("name", rack.name())
                .param("facilityId", rack.facilityId())
                .param("assetTag", rack.assetTag())
                .param("row", rack.row())
                .param("heightU", rack.heightU())
                .param("numbering", rack.numbering().wireName())
                .param("powerBudgetKw", rack.powerBudgetKw())
                .param("status", rack.status().wireName())
                .param("createdAt", utc(rack.createdAt()))
                .param("updatedAt", utc(rack.updatedAt()))
                .update() == 1;
    }

    Optional<Rack> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from rack where id = :id").param("id", id).query(RackStore::map).optional();
    }

    Optional<Rack> findByName(String siteId, String name) {
        return jdbc.sql("select " + COLUMNS + " from rack where site_id = :site and name = :name")
                .param("site", siteId)
                .param("name", name)
                .query(RackStore::map)
                .optional();
    }

    /**
     * Reads and locks the rack. Whoever changes which units are taken (a new slot, a move, a shorter rack,
     * a delete) holds this lock while checking, so two such changes never both pass their check.
     */
    Optional<Rack> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from rack where id = :id for update").param("id", id).query(RackStore::map).optional();
    }

    List<Rack> list(Filter filter, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from rack
                        where (cast(:site as text) is null or site_id = :site)
                          and (cast(:location as text) is null or location_id = :location)
                          and (cast(:status as text) is null or status = :status)
                          and (cast(:after as text) is null or id > :after)
                        order by id
                        limit :limit
                        """)
                .param("site", filter.siteId())
                .param("location", filter.locationId())
                .param("status", filter.status() == null ? null : filter.status().wireName())
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(RackStore::map)
                .list();
    }

    /** @return false when the site already has another rack of the new name */
    boolean update(Rack rack) {
        try {
            jdbc.sql("""
                            update rack set location_id = :location, name = :name, facility_id = :facilityId, asset_tag = :assetTag,
                                            row_name = :row, height_u = :heightU, numbering = :numbering,
                                            power_budget_kw = :powerBudgetKw, status = :status, updated_at = :updatedAt
                            where id = :id
                            """)
                    .param("id", rack.id())
                    .param("location", rack.locationId())
                    .param("name", rack.name())
                    .param("facilityId", rack.facilityId())
                    .param("assetTag", rack.assetTag())
                    .param("row", rack.row())
                    .param("heightU", rack.heightU())
                    .param("numbering", rack.numbering().wireName())
                    .param("powerBudgetKw", rack.powerBudgetKw())
                    .param("status", rack.status().wireName())
                    .param("updatedAt", utc(rack.updatedAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The hosts in the rack, lowest first. */
    List<Occupant> occupants(String rackId) {
        return jdbc.sql("select id, hostname, state, position_u, height_u from host where rack_id = :rack order by position_u, id")
                .param("rack", rackId)
                .query((rs, n) -> new Occupant(rs.getString("id"), rs.getString("hostname"), HostState.valueOf(rs.getString("state")),
                        rs.getInt("position_u"), rs.getInt("height_u")))
                .list();
    }

    void delete(String id) {
        jdbc.sql("delete from rack where id = :id").param("id", id).update();
    }

    private static Rack map(ResultSet rs, int row) throws SQLException {
        return new Rack(rs.getString("id"), rs.getString("site_id"), rs.getString("location_id"), rs.getString("name"),
                rs.getString("facility_id"), rs.getString("asset_tag"), rs.getString("row_name"), rs.getInt("height_u"),
                RackNumbering.fromWireName(rs.getString("numbering")), rs.getBigDecimal("power_budget_kw"),
                RackStatus.fromWireName(rs.getString("status")), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
