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
