package dev.runway.executor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.runway.access.ProjectNames;
import dev.runway.events.Environment;
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

    /** Creates the project's database and hands the executor its credentials for development and staging. */
    public static void create(String project) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + databaseOf(project));
        }
        for (Environment env : new Environment[] { Environment.DEVELOPMENT, Environment.STAGING }) {
            writeCredentials(project, env, databaseOf(project));
        }
    }

    /** As an operator would mount them: {@code <secrets-dir>/<safe project>-<env>/{url,username,password}}. */
    public static void writeCredentials(String project, Environment env, String database) {
        Backbone b = Backbone.get();
        Path dir = ExecutorSettings.privateDir(ExecutorSettings.secretsDir(ExecutorTestResource.STATE))
                .resolve(ProjectNames.projectEnvironment(project, env.name()));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("url"), b.jdbcPgUrl(database) + "\n");
            Files.writeString(dir.resolve("username"), b.pgUser());
            Files.writeString(dir.resolve("password"), b.pgPassword());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void removeCredentials(String project, Environment env) throws IOException {
        Path dir = ExecutorSettings.secretsDir(ExecutorTestResource.STATE).resolve(ProjectNames.projectEnvironment(project, env.name()));
        for (String f : new String[] { "url", "username", "password" }) {
            Files.deleteIfExists(dir.resolve(f));
        }
        Files.deleteIfExists(dir);
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
        try {
            removeCredentials(project, Environment.DEVELOPMENT);
            removeCredentials(project, Environment.STAGING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
