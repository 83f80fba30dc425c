package dev.runway.executor.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.runway.testsupport.Backbone;

/** A throw-away client project database per test (runway has CREATEDB), named as the executor derives it. */
public final class ClientDatabases {

    private ClientDatabases() {
    }

    public static String newProject() {
        return ExecutorSettings.PROJECT_PREFIX + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String databaseOf(String project) {
        return "runway_client_" + project.toLowerCase().replaceAll("[^a-z0-9]", "_");
    }

    public static void create(String project) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + databaseOf(project));
        }
    }

    /** Drops the project's database and the copies a restore kept beside it. */
    public static void drop(String project) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + databaseOf(project) + "%'")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String name : names) {
                s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            }
        }
    }

    public static Connection connect(String database) throws SQLException {
        Backbone b = Backbone.get();
        return DriverManager.getConnection(b.jdbcPgUrl(database), b.pgUser(), b.pgPassword());
    }

    public static Connection connectProject(String project) throws SQLException {
        return connect(databaseOf(project));
    }

    public static boolean tableExists(String project, String table) throws SQLException {
        try (Connection c = connectProject(project); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    public static List<String> query(String project, String sql) throws SQLException {
        try (Connection c = connectProject(project); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1));
            }
            return rows;
        }
    }

    public static void execute(String project, String sql) throws SQLException {
        try (Connection c = connectProject(project); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
