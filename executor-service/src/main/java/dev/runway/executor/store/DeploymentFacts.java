package dev.runway.executor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What earlier commands of a deployment decided (its target, the colour it deployed to, its
 * backup, the migrations it applied), so later commands and compensations act on the same things.
 */
@ApplicationScoped
public class DeploymentFacts {

    public static final String TARGET = "target";
    public static final String STRATEGY = "strategy";
    public static final String NEW_SLOT = "slot.new";
    public static final String PREVIOUS_SLOT = "slot.previous";
    public static final String BACKUP_ID = "backup.id";
    public static final String BACKUP_FILE = "backup.file";
    /** Absolute migrations directory in the checkout: written before issue 15, still read for deployments of that time. */
    public static final String MIGRATIONS_DIR = "migrations.dir";
    /** The migrations directory relative to the repository root, read from the commit (issue 15). */
    public static final String MIGRATIONS_PATH = "migrations.path";
    public static final String MIGRATIONS_APPLIED = "migrations.applied";
    public static final String MIGRATIONS_REPOSITORY = "migrations.repository";
    public static final String MIGRATIONS_COMMIT = "migrations.commit";
    /** The repository credential reference (a name, never a secret), to check the commit out again for a restore. */
    public static final String MIGRATIONS_CREDENTIAL = "migrations.credential";
    /** database.migrations.tool of the migrations applied (absent before issue 16: sql). */
    public static final String MIGRATIONS_TOOL = "migrations.tool";
    public static final String CHECKOUT = "checkout";

    private final DataSource dataSource;

    public DeploymentFacts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void put(String deploymentId, String name, String value) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO executor_deployment_fact (deployment_id, name, value) VALUES (?, ?, ?)
                ON CONFLICT (deployment_id, name) DO UPDATE SET value = EXCLUDED.value""")) {
            s.setString(1, deploymentId);
            s.setString(2, name);
            s.setString(3, value);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("deployment facts unavailable", e);
        }
    }

    public Optional<String> get(String deploymentId, String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT value FROM executor_deployment_fact WHERE deployment_id = ? AND name = ?")) {
            s.setString(1, deploymentId);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("deployment facts unavailable", e);
        }
    }
}
