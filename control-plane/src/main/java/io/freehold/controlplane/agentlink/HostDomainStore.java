package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The domains each host listed at its latest Hello (V10), and the orphans among them. */
@Repository
class HostDomainStore {

    /** Bounds the ops listing; a site with more orphans than this has a problem a list will not solve. */
    static final int MAX_ORPHANS = 1000;

    private final JdbcClient jdbc;

    HostDomainStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The host's list replaces the one it sent before. */
    void replace(String hostId, List<HostDomain> domains, Instant now) {
        jdbc.sql("delete from host_domain where host_id = :host").param("host", hostId).update();
        if (domains.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into host_domain (host_id, name, owner, generation, power, reason, observed_at)
                        select :host, name, owner, generation, power, reason, :now
                          from unnest(:names, :owners, :generations, :powers, :reasons) as d(name, owner, generation, power, reason)
                        """)
                .param("host", hostId)
                .param("names", domains.stream().map(HostDomain::name).toArray(String[]::new))
                .param("owners", domains.stream().map(HostDomain::owner).toArray(String[]::new))
                .param("generations", domains.stream().map(HostDomain::generation).toArray(Long[]::new))
                .param("powers", domains.stream().map(HostDomain::power).toArray(String[]::new))
                .param("reasons", domains.stream().map(HostDomain::reason).toArray(String[]::new))
                .param("now", utc(now))
                .update();
    }

    /** A Freehold guest the host reported on since its Hello: the list follows without waiting for the next Hello. */
    void upsertOwn(String hostId, String name, long generation, String power, Instant now) {
        jdbc.sql("""
                        insert into host_domain (host_id, name, owner, generation, power, reason, observed_at)
                        values (:host, :name, 'freehold', :generation, :power, null, :now)
                        on conflict (host_id, name) do update
                           set owner = excluded.owner, generation = excluded.generation, power = excluded.power,
                               reason = null, observed_at = excluded.observed_at
                         where host_domain.observed_at <= excluded.observed_at
                        """)
                .param("host", hostId).param("name", name).param("generation", generation).param("power", power)
                .param("now", utc(now))
                .update();
    }

    void remove(String hostId, String name) {
        jdbc.sql("delete from host_domain where host_id = :host and name = :name").param("host", hostId).param("name", name).update();
    }

    /**
     * Domains no live instance on their host accounts for: foreign ones, and Freehold's own whose instance is
     * deleted, placed elsewhere or unknown. Host by host, by name.
     */
    List<OrphanDomain> orphans() {
        return jdbc.sql("""
                        select d.host_id, d.name, d.owner, d.power, d.reason, d.observed_at,
                               i.host_id as instance_host_id, i.deleted_at as instance_deleted_at, (i.id is not null) as instance_known
                          from host_domain d
                          left join instance i on i.id = d.name
                         where d.owner = 'foreign' or i.id is null or i.deleted_at is not null or i.host_id is distinct from d.host_id
                         order by d.host_id, d.name
                         limit :limit
                        """)
                .param("limit", MAX_ORPHANS)
                .query((rs, n) -> new OrphanDomain(rs.getString("host_id"), rs.getString("name"), rs.getString("owner"),
                        rs.getString("power"), OrphanDomain.reason(rs.getString("owner"), rs.getString("reason"),
                        rs.getBoolean("instance_known"), instant(rs, "instance_deleted_at"), rs.getString("instance_host_id")),
                        instant(rs, "observed_at")))
                .list();
    }
}
