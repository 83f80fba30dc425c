package dev.runway.executor.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import dev.runway.executor.commands.StepFailure;

/**
 * A client database's migrations through Flyway's Java API, recorded in {@value #TABLE}: which of
 * a directory's files are pending, applying them up to a version (each in its own transaction), the
 * current version, and undoing one with its DOWN section.
 */
final class SchemaHistory {

    static final String TABLE = "flyway_schema_history";

    private SchemaHistory() {
    }

    /** The files the database has not applied yet, in version order. */
    static List<MigrationFile> pending(ClientDatabase db, List<MigrationFile> files) {
        try {
            MigrationInfo[] pending = flyway(db, files).load().info().pending();
            List<String> versions = Arrays.stream(pending).map(i -> i.getVersion().getVersion()).toList();
            return files.stream().filter(f -> versions.contains(f.version())).toList();
        } catch (RuntimeException e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", "cannot read the schema history of " + db.describe() + ": " + rootMessage(e), true, e);
        }
    }

    /** Applies every pending file up to and including {@code version}. */
    static void migrateTo(ClientDatabase db, List<MigrationFile> files, String version) {
        flyway(db, files).target(MigrationVersion.fromVersion(version)).load().migrate();
    }

    static String currentVersion(ClientDatabase db, List<MigrationFile> files) {
        MigrationInfo current = flyway(db, files).load().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** Runs the DOWN section and removes the version from the history, in one transaction. */
    static void undo(ClientDatabase db, MigrationFile m) throws SQLException {
        try (Connection c = db.connect(db.database())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    PreparedStatement h = c.prepareStatement("DELETE FROM " + TABLE + " WHERE version = ?")) {
                s.execute(m.down().orElseThrow());
                h.setString(1, m.version());
                h.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new StepFailure("DOWN_MIGRATION_FAILED", "DOWN section of " + m.fileName() + " failed and was rolled back: " + e.getMessage(), false, e);
            }
        }
    }

    private static FluentConfiguration flyway(ClientDatabase db, List<MigrationFile> files) {
        return Flyway.configure(SchemaHistory.class.getClassLoader())
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .table(TABLE)
                // A database Runway has not migrated before (tables, no history): every file is pending.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .skipDefaultResolvers(true)
                .locations("filesystem:" + Path.of(System.getProperty("java.io.tmpdir"), "runway-no-sql-migrations"))
                .javaMigrations(files.stream().map(SqlFileMigration::new).toArray(JavaMigration[]::new));
    }

    /** The innermost cause's message on one line: what the database said. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }

    /** One SOP migration file as a Flyway migration: Flyway versions, orders, wraps and records it. */
    record SqlFileMigration(MigrationFile file) implements JavaMigration {
        @Override
        public MigrationVersion getVersion() {
            return MigrationVersion.fromVersion(file.version());
        }

        @Override
        public String getDescription() {
            return file.description();
        }

        @Override
        public Integer getChecksum() {
            return file.checksum();
        }

        @Override
        public boolean canExecuteInTransaction() {
            return true;
        }

        @Override
        public void migrate(Context context) throws Exception {
            try (Statement s = context.getConnection().createStatement()) {
                s.execute(file.up());
            }
        }
    }
}
