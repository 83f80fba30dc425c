package dev.runway.orchestrator.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;

/**
 * A database as a Runway from before tenancy left it: created fresh, migrated only up to V2, with
 * deployments, live releases and audit rows of that shape. The service under test then starts on it
 * and Flyway carries it to the latest version (no clean at start).
 */
public class UpgradeBackbone extends BackboneTestResource {

    static final String DATABASE = "runway_orchestrator_upgrade";
    /** The old rows' project (random: Redis keys of earlier runs never meet this one's). */
    static final String PROJECT = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OTHER = "legacy-two-" + UUID.randomUUID().toString().substring(0, 8);
    static final UUID FIRST = UUID.randomUUID();
    static final UUID SECOND = UUID.randomUUID();
    static final UUID OTHERS = UUID.randomUUID();

    private static final String COMPONENTS = """
            [{"name":"web","image":"registry.example.com/%1$s/web:1","artifact":"java examples/demo-app/DemoApp.java","port":3000,\
            "healthcheck":"/health","replicas":1,"cpu":null,"memory":null}]""";
    private static final String PLAN = """
            {"shape":{"strategy":"BLUE_GREEN","requiredApprovals":0,"windowed":false,"database":false,"canarySteps":[10,25,50,100],\
            "canaryPauseSeconds":0,"verifySeconds":10,"monitoringWindowSeconds":0},"target":"HOST","components":%2$s,\
            "thresholds":{"automatic":true,"errorRatePercent":5.0,"latencyP99Ms":2000.0,"latencyP95Ms":null,"sustainedSeconds":120},\
            "migrationsPath":null,"window":null}""";
    private static final String SAGA = """
            {"cursor":6,"phase":"ENDED","completed":["validate","lock","deploy-green","verify-green","shift-traffic","monitor",\
            "release-lock"],"compensations":[],"compensationCursor":0,"endState":"SUCCEEDED","reason":null}""";

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("database", DATABASE, "jdbc", "true", "redis", "true"));
    }

    /** After the module's unrestricted BackboneTestResource, so this database wins over runway_orchestrator_test. */
    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Map<String, String> start() {
        Backbone backbone = Backbone.get();
        PgAdmin.execute(backbone, "drop database if exists " + DATABASE + " with (force)");
        PgAdmin.execute(backbone, "create database " + DATABASE);
        String url = backbone.jdbcPgUrl(DATABASE);
        Flyway.configure().dataSource(url, backbone.pgUser(), backbone.pgPassword()).locations("classpath:db/migration")
                .target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, backbone.pgUser(), backbone.pgPassword())) {
            Instant t = Instant.now().minusSeconds(3600);
            insertDeployment(c, FIRST, PROJECT, "1.0.0", 3, t);
            insertDeployment(c, SECOND, PROJECT, "1.1.0", 4, t.plusSeconds(600));
            insertDeployment(c, OTHERS, OTHER, "7.0.0", 9, t.plusSeconds(900));
            // Old shape: one live row per (environment, component), whoever's project it was.
            insertRelease(c, "web", "1.1.0", SECOND, t.plusSeconds(660));
            insertRelease(c, "worker", "7.0.0", OTHERS, t.plusSeconds(960));
            try (var audit = c.prepareStatement("insert into audit_log (deployment_id, at, actor, action, detail) values (?, ?, ?, ?, ?)")) {
                for (UUID id : new UUID[] {FIRST, SECOND, OTHERS}) {
                    audit.setObject(1, id);
                    audit.setTimestamp(2, Timestamp.from(t));
                    audit.setString(3, "dana");
                    audit.setString(4, "requested");
                    audit.setString(5, "from before tenancy");
                    audit.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the old-shape database: " + e.getMessage(), e);
        }
        Map<String, String> config = new HashMap<>(super.start());
        config.put("quarkus.flyway.clean-at-start", "false");
        return config;
    }

    private static void insertDeployment(Connection c, UUID id, String project, String version, long token, Instant created)
            throws SQLException {
        String components = COMPONENTS.formatted(project);
        try (var s = c.prepareStatement("""
                insert into deployment (id, project, version, environment, strategy, target, dry_run, requested_by, components,
                    plan, required_approvals, state, current_step, saga, fencing_token, lock_held, created_at, updated_at,
                    started_at, finished_at)
                values (?, ?, ?, 'DEVELOPMENT', 'BLUE_GREEN', 'HOST', false, 'dana', ?, ?, 0, 'SUCCEEDED', null, ?, ?, false, ?, ?, ?, ?)""")) {
            s.setObject(1, id);
            s.setString(2, project);
            s.setString(3, version);
            s.setString(4, components);
            s.setString(5, PLAN.formatted(project, components));
            s.setString(6, SAGA);
            s.setLong(7, token);
            s.setTimestamp(8, Timestamp.from(created));
            s.setTimestamp(9, Timestamp.from(created.plusSeconds(60)));
            s.setTimestamp(10, Timestamp.from(created.plusSeconds(1)));
            s.setTimestamp(11, Timestamp.from(created.plusSeconds(60)));
            s.executeUpdate();
        }
    }

    private static void insertRelease(Connection c, String component, String version, UUID deployment, Instant at)
            throws SQLException {
        try (var s = c.prepareStatement("insert into environment_release (environment, component, version, deployment_id, released_at) "
                + "values ('DEVELOPMENT', ?, ?, ?, ?)")) {
            s.setString(1, component);
            s.setString(2, version);
            s.setObject(3, deployment);
            s.setTimestamp(4, Timestamp.from(at));
            s.executeUpdate();
        }
    }
}
