package dev.runway.orchestrator.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;

/**
 * The real backbone with a database and Redis prefix of the benchmark's own: the shared
 * runway_orchestrator_test is Flyway-cleaned whenever another @QuarkusTest of this service starts,
 * which would wipe the benchmark's sagas under it.
 */
public class BenchBackbone extends BackboneTestResource {

    static final String DATABASE = "runway_orchestrator_bench";

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("database", DATABASE, "jdbc", "true", "redis", "true"));
    }

    /**
     * Started after DeploymentSagaTest's unrestricted BackboneTestResource (which Quarkus applies
     * to every @QuarkusTest of the module), so this database wins over runway_orchestrator_test.
     */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Map<String, String> start() {
        Backbone backbone = Backbone.get();
        try (Connection c = DriverManager.getConnection(backbone.jdbcPgUrl("postgres"), backbone.pgUser(), backbone.pgPassword());
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create " + DATABASE + ": " + e.getMessage(), e);
        }
        Map<String, String> config = new HashMap<>(super.start());
        // Per run: the database is cleaned at start, so the queue and fence of an earlier run must not survive it.
        config.put("runway.lock.key-prefix", "runway-bench-" + UUID.randomUUID().toString().substring(0, 8));
        return config;
    }
}
