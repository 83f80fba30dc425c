package dev.runway.healthwatcher.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.runway.testsupport.Backbone;

/**
 * A health-watcher that ran before tenancy (schema V1, with a watch and its decisions) upgrades in place:
 * every decision gets its watch's project, no client (unknown then), and nothing is lost.
 */
class MigrationUpgradeTest {

    @Test
    void decisionsStoredBeforeTenancyKeepTheirHistoryAndGainTheirProject() throws Exception {
        Backbone backbone = Backbone.get();
        String url = backbone.jdbcPgUrl("runway_health_test");
        String schema = "hw_upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            Flyway.configure().dataSource(url, backbone.pgUser(), backbone.pgPassword()).schemas(schema).target("1").load().migrate();
            try (Connection c = DriverManager.getConnection(url + "?currentSchema=" + schema, backbone.pgUser(), backbone.pgPassword());
                    Statement st = c.createStatement()) {
                st.executeUpdate("""
                        insert into watch (watch_id, deployment_id, environment, project, step, start_event_id, start_command, status,
                                           started_at, ends_at, ended_at, end_reason)
                        values ('w-1', 'd-1', 'STAGING', 'demo-shop', 'canary-25', 'e-0', '\\x00', 'BREACHED', now(), now(), now(), 'error rate')""");
                st.executeUpdate("""
                        insert into decision (event_id, watch_id, kind, deployment_id, environment, decided_at, view, record, published_at)
                        values ('e-1', 'w-1', 'ThresholdBreached', 'd-1', 'STAGING', now(), '{"eventId":"e-1"}', '\\x00', now()),
                               ('e-2', 'w-1', 'RollbackDecided', 'd-1', 'STAGING', now(), '{"eventId":"e-2"}', '\\x00', now())""");
            }

            Flyway.configure().dataSource(url, backbone.pgUser(), backbone.pgPassword()).schemas(schema).load().migrate();

            try (Connection c = DriverManager.getConnection(url + "?currentSchema=" + schema, backbone.pgUser(), backbone.pgPassword());
                    Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("select event_id, project, client, environment, view::text from decision order by event_id");
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals("demo-shop", rs.getString("project"));
                    assertNull(rs.getString("client"), "the client was not known before tenancy");
                    assertEquals("STAGING", rs.getString("environment"));
                    assertTrue(rs.getString(5).contains(rs.getString("event_id")), "the stored view is kept");
                }
                assertEquals(2, n);
                ResultSet w = st.executeQuery("select project, client, status from watch");
                assertTrue(w.next());
                assertEquals("demo-shop", w.getString(1));
                assertNull(w.getString(2));
                assertEquals("BREACHED", w.getString(3));
                // New rows must name their project.
                try {
                    st.executeUpdate("insert into decision (event_id, watch_id, kind, deployment_id, environment, decided_at, view, record)"
                            + " values ('e-3', 'w-1', 'HealthCheckPassed', 'd-1', 'STAGING', now(), '{}', '\\x00')");
                    throw new AssertionError("a decision without a project was accepted");
                } catch (SQLException expected) {
                    assertEquals("23502", expected.getSQLState(), expected.getMessage());
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, backbone.pgUser(), backbone.pgPassword()); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}
