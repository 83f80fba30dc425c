package dev.runway.executor.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.executor.support.ClientDatabases;
import dev.runway.testsupport.Backbone;

/** The executor's own schema, upgraded from the per-environment fencing of V1 with rows in it (real Postgres). */
class FencingUpgradeTest {

    String database;

    @BeforeEach
    void setUp() throws SQLException {
        database = "runway_executor_upgrade_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = ClientDatabases.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        try (Connection c = ClientDatabases.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    Flyway flyway(String target) {
        Backbone b = Backbone.get();
        return Flyway.configure().dataSource(b.jdbcPgUrl(database), b.pgUser(), b.pgPassword()).locations("classpath:db/executor")
                .target(target).load();
    }

    @Test
    void shouldCarryPerEnvironmentTokensOverAndFencePerProjectEnvironmentAfterwards() throws SQLException {
        flyway("1").migrate();
        try (Connection c = ClientDatabases.connect(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO executor_fencing (environment, newest_token) VALUES ('STAGING', 42), ('DEVELOPMENT', 7)");
            s.execute("INSERT INTO executor_command (command_id, deployment_id, environment, command_type, step, fencing_token, dry_run,"
                    + " status, plan, command_class, command) VALUES ('c1', 'd1', 'STAGING', 'DeployGreen', 'deploy-green', 42, false,"
                    + " 'FINISHED', '', 'x', '\\x00')");
        }

        flyway("latest").migrate();

        try (Connection c = ClientDatabases.connect(database); Statement s = c.createStatement()) {
            assertEquals(List.of("*:DEVELOPMENT:7", "*:STAGING:42"),
                    rows(s, "SELECT project || ':' || environment || ':' || newest_token FROM executor_fencing ORDER BY environment"),
                    "old rows are kept under the placeholder project");
            assertEquals(List.of("c1:null"), rows(s, "SELECT command_id || ':' || coalesce(project, 'null') FROM executor_command"),
                    "the command log keeps its history");
            // Per project environment from now on: two projects on staging, each its own row.
            s.execute("INSERT INTO executor_fencing (project, environment, newest_token) VALUES ('demo-shop', 'STAGING', 1), ('acme', 'STAGING', 5)");
            assertEquals(3, rows(s, "SELECT project FROM executor_fencing WHERE environment = 'STAGING'").size());
            assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO executor_fencing (project, environment, newest_token) VALUES ('acme', 'STAGING', 6)"),
                    "one row per (project, environment)");
        }
    }

    static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
