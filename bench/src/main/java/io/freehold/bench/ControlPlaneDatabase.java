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
 * settings the server really runs with, and what became of the simulated hosts.
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
        Map<String, Long> states = new LinkedHashMap<>();
        try (PreparedStatement count = connection.prepareStatement("select state, count(*) from host group by state order by state");
             ResultSet rs = count.executeQuery()) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
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

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
