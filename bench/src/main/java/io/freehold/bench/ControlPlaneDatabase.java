package io.freehold.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Read-only looks into the control plane's embedded PostgreSQL, independent of the code under test: which durability
 * settings the server really runs with, what became of the simulated hosts, and of the instances and their commands.
 */
final class ControlPlaneDatabase implements AutoCloseable {

    /** Settings that decide what a commit costs; fsync and synchronous_commit must be on for figures that count. */
    static final String[] DURABILITY_SETTINGS = {"fsync", "synchronous_commit", "full_page_writes", "wal_sync_method"};

    private final Connection connection;

    private ControlPlaneDatabase(Connection connection) {
        this.connection = connection;
    }

    /** All-in-one mode's database: user {@code postgres}, database {@code freehold}, trusted on loopback. */
    static ControlPlaneDatabase connect(int port) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/freehold", "postgres", "");
        connection.setReadOnly(true);
        return new ControlPlaneDatabase(connection);
    }

    Map<String, String> durability() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : DURABILITY_SETTINGS) {
            try (PreparedStatement show = connection.prepareStatement("select current_setting(?)")) {
                show.setString(1, name);
                try (ResultSet rs = show.executeQuery()) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        return settings;
    }

    /** How many hosts are in each state. */
    Map<String, Long> hostStates() throws SQLException {
        return counts("select state, count(*) from host group by state order by state");
    }

    /** Host events of each kind since {@code since}: a held fleet has no {@code missed-heartbeats} or {@code disconnected}. */
    Map<String, Long> hostEventsSince(Instant since) throws SQLException {
        Map<String, Long> kinds = new LinkedHashMap<>();
        try (PreparedStatement count = connection.prepareStatement(
                "select kind, count(*) from host_event where occurred_at >= ? group by kind order by kind")) {
            count.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = count.executeQuery()) {
                while (rs.next()) {
                    kinds.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return kinds;
    }

    /** How many live instances are in each phase. */
    Map<String, Long> instancePhases() throws SQLException {
        return counts("select phase, count(*) from instance where deleted_at is null group by phase order by phase");
    }

    /** How many agent commands of each type are in each state, as {@code "PutGuest succeeded" -> n}. */
    Map<String, Long> commandStates() throws SQLException {
        return counts("select type || ' ' || state, count(*) from agent_command group by type, state order by type, state");
    }

    /**
     * Targets that got more than one command for the same generation: a decision carried out twice. Superseded
     * commands count too, since a host may have carried one out before it was superseded.
     */
    long targetsCommandedTwice() throws SQLException {
        return single("""
                select count(*) from (select 1 from agent_command group by target, target_generation, type having count(*) > 1) twice
                """);
    }

    /**
     * The quantiles, in milliseconds, of the time from a command's delivery to its host until its answer was recorded,
     * over the commands answered between {@code from} and {@code to}: the host's queue and work, and the way back.
     */
    double[] commandTurnaroundMillis(Instant from, Instant to, double... quantiles) throws SQLException {
        try (PreparedStatement turnaround = connection.prepareStatement("""
                select percentile_cont(?) within group (order by extract(epoch from completed_at - delivered_at) * 1000)
                  from agent_command where completed_at >= ? and completed_at < ? and delivered_at is not null
                """)) {
            double[] millis = new double[quantiles.length];
            for (int i = 0; i < quantiles.length; i++) {
                turnaround.setDouble(1, quantiles[i]);
                turnaround.setTimestamp(2, Timestamp.from(from));
                turnaround.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = turnaround.executeQuery()) {
                    rs.next();
                    millis[i] = rs.getDouble(1);
                }
            }
            return millis;
        }
    }

    /** How many hosts got commands, and the busiest one's share of them. */
    String commandSpread() throws SQLException {
        try (PreparedStatement spread = connection.prepareStatement("""
                select count(*), coalesce(max(n), 0), coalesce(sum(n), 0)
                  from (select count(*) as n from agent_command group by host_id) per_host
                """); ResultSet rs = spread.executeQuery()) {
            rs.next();
            return String.format("%d hosts got commands, the busiest %.0f%% of them", rs.getLong(1),
                    rs.getLong(3) == 0 ? 0.0 : 100.0 * rs.getLong(2) / rs.getLong(3));
        }
    }

    /** The lifecycle facts the hosts' agents reported, by event. */
    Map<String, Long> agentFacts() throws SQLException {
        return counts("select event, count(*) from lifecycle_event where source = 'agent' group by event order by event");
    }

    /** Instances with more than one agent fact of the same kind: a fact recorded twice, or a guest that did it twice. */
    long agentFactsRepeated() throws SQLException {
        return single("""
                select count(*) from (select 1 from lifecycle_event where source = 'agent'
                                       group by instance_id, event having count(*) > 1) repeated
                """);
    }

    /** Live instances whose host last observed them running (the agent's look, not a command's answer). */
    long instancesObservedRunning() throws SQLException {
        return single("select count(*) from instance where deleted_at is null and observed_power = 'running'");
    }

    /** Commands sent to their host more than once: an answer that did not come in time, or a stream that ended. */
    long commandsDeliveredAgain() throws SQLException {
        return single("select count(*) from agent_command where deliveries > 1");
    }

    private Map<String, Long> counts(String sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement count = connection.prepareStatement(sql); ResultSet rs = count.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(sql); ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
