package dev.runway.notifier.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.runway.testsupport.Backbone;

/**
 * A notifier that ran before tenancy (schema V1 with a deployment, deliveries and a dead letter) upgrades in
 * place: nothing is lost, dead letters gain their delivery's project, and the client stays unknown.
 */
class MigrationUpgradeTest {

    @Test
    void theDeliveryLogOfBeforeTenancyIsKeptAndDeadLettersGainTheirProject() throws Exception {
        Backbone backbone = Backbone.get();
        String url = backbone.jdbcPgUrl("runway_notifier_test");
        String schema = "nt_upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String inSchema = url + "?currentSchema=" + schema;
        try {
            Flyway.configure().dataSource(url, backbone.pgUser(), backbone.pgPassword()).schemas(schema).target("1").load().migrate();
            try (Connection c = DriverManager.getConnection(inSchema, backbone.pgUser(), backbone.pgPassword()); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO deployments (deployment_id, environment, project, version) VALUES ('d-1', 'STAGING', 'demo-shop', '1.2.0')");
                st.executeUpdate("""
                        INSERT INTO deliveries (event_id, event_type, deployment_id, environment, project, severity, channel, endpoint,
                                                payload, fingerprint, status, attempts, max_attempts)
                        VALUES ('e-1', 'DeploymentFailed', 'd-1', 'STAGING', 'demo-shop', 'CRITICAL', 'SLACK', 'slack:#deployments',
                                '{}', 'f-1', 'DELIVERED', 1, 6),
                               ('e-1', 'DeploymentFailed', 'd-1', 'STAGING', 'demo-shop', 'CRITICAL', 'WEBHOOK', 'webhook:audit',
                                '{}', 'f-2', 'DEAD', 6, 6)""");
                st.executeUpdate("""
                        INSERT INTO dead_letters (delivery_id, event_id, deployment_id, channel, endpoint, attempts, reason, payload)
                        SELECT id, event_id, deployment_id, channel, endpoint, attempts, '503', payload FROM deliveries WHERE status = 'DEAD'""");
            }

            Flyway.configure().dataSource(url, backbone.pgUser(), backbone.pgPassword()).schemas(schema).load().migrate();

            try (Connection c = DriverManager.getConnection(inSchema, backbone.pgUser(), backbone.pgPassword()); Statement st = c.createStatement()) {
                ResultSet d = st.executeQuery("SELECT count(*), min(project), max(client) FROM deliveries");
                assertTrue(d.next());
                assertEquals(2, d.getInt(1));
                assertEquals("demo-shop", d.getString(2));
                assertNull(d.getString(3), "the client was not known before tenancy");
                ResultSet l = st.executeQuery("SELECT project, client, reason FROM dead_letters");
                assertTrue(l.next());
                assertEquals("demo-shop", l.getString(1));
                assertNull(l.getString(2));
                assertEquals("503", l.getString(3));
                ResultSet dep = st.executeQuery("SELECT project, version, client FROM deployments WHERE deployment_id = 'd-1'");
                assertTrue(dep.next());
                assertEquals("demo-shop", dep.getString(1));
                assertEquals("1.2.0", dep.getString(2));
                assertNull(dep.getString(3));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, backbone.pgUser(), backbone.pgPassword()); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
