package io.freehold.e2e;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh, empty database on a real PostgreSQL server, shared by the replicas a test starts and read
 * by the test to check what they wrote. Closing it drops it, with whatever connections are still open.
 */
final class PostgresDatabase implements AutoCloseable {

    private final URI server;
    private final String name;

    private PostgresDatabase(URI server, String name) {
        this.server = server;
        this.name = name;
    }

    static PostgresDatabase createOn(URI server) throws SQLException {
        String name = "freehold_e2e_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(jdbcUrl(server, "postgres"), server.getUserInfo(), null);
             Statement statement = admin.createStatement()) {
            statement.execute("create database " + name);
        }
        return new PostgresDatabase(server, name);
    }

    String jdbcUrl() {
        return jdbcUrl(server, name);
    }

    String user() {
        return server.getUserInfo();
    }

    /** The single value {@code sql} selects, with {@code parameters} bound in order; null when no row. */
    Object value(String sql, Object... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), user(), null);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        }
    }

    /** The first column of every row {@code sql} selects. */
    List<String> strings(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), user(), null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    long count(String table) throws SQLException {
        return ((Number) value("select count(*) from " + table)).longValue();
    }

    /**
     * Open transactions holding the lock that writing rows of {@code table} takes ({@code RowExclusiveLock}): how a test
     * sees that a transaction it cannot look into has written there.
     */
    long writersOf(String table) throws SQLException {
        return ((Number) value("""
                select count(*) from pg_locks l join pg_class c on c.oid = l.relation
                 where c.relname = ? and l.mode = 'RowExclusiveLock' and l.granted
                   and l.database = (select oid from pg_database where datname = current_database())""", table)).longValue();
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl(server, "postgres"), user(), null);
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
    }

    private static String jdbcUrl(URI server, String database) {
        return "jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + "/" + database;
    }
}
