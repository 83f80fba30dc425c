package dev.runway.executor.database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.CommitTree;

/**
 * Tool {@code prisma}: Prisma-format migrations ({@code <path>/<name>/migration.sql}), applied by
 * Runway itself because the Prisma CLI cannot fetch its schema engine here (issue 16). Each is run in
 * its own transaction and recorded in {@value #TABLE} as Prisma's schema engine records it on
 * PostgreSQL (same table, a UUID id, the SHA-256 hex of the script as checksum), so the project's own
 * {@code prisma migrate} sees them as applied. Prisma migrations have no DOWN sections: they are
 * undone by restoring the deployment's backup.
 */
final class PrismaMigrations implements MigrationTool {

    static final String TABLE = "_prisma_migrations";
    static final String SCRIPT = "migration.sql";
    static final String LOCK_FILE = "migration_lock.toml";
    /** The advisory lock Prisma's schema engine takes on PostgreSQL: Runway and a project's own Prisma never migrate at once. */
    static final long ADVISORY_LOCK = 72707369L;
    /** {@code migration_name} is VARCHAR(255). */
    static final int MAX_NAME = 255;

    private static final Pattern PROVIDER = Pattern.compile("(?m)^\\s*provider\\s*=\\s*\"([^\"]*)\"");

    /** The table as Prisma's schema engine creates it on PostgreSQL. */
    static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
                "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
                "checksum"              VARCHAR(64) NOT NULL,
                "finished_at"           TIMESTAMPTZ,
                "migration_name"        VARCHAR(255) NOT NULL,
                "logs"                  TEXT,
                "rolled_back_at"        TIMESTAMPTZ,
                "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
                "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
            )""";

    /** One migration folder of the commit. */
    record Script(String name, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One row of the table. */
    record Row(String name, String checksum, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime rolledBackAt) {
        boolean applied() {
            return finishedAt != null && rolledBackAt == null;
        }

        boolean failed() {
            return finishedAt == null && rolledBackAt == null;
        }
    }

    @Override
    public String historyTable() {
        return TABLE;
    }

    @Override
    public Pending pending(ClientDatabase db, CommitTree tree, String path) {
        List<Script> scripts = read(tree, path);
        List<Row> rows = history(db);
        check(rows, scripts);
        List<Migration> pending = new ArrayList<>();
        for (Script script : scripts) {
            if (rows.stream().noneMatch(r -> r.applied() && r.name().equals(script.name()))) {
                pending.add(new Migration(script.name(), script.name() + "/" + SCRIPT, () -> apply(db, script)));
            }
        }
        String target = scripts.isEmpty() ? null : scripts.get(scripts.size() - 1).name();
        return new Pending(scripts.size(), pending, target, () -> newestApplied(db));
    }

    @Override
    public boolean hasDownSections() {
        return false;
    }

    @Override
    public Optional<List<Plan.Step>> undo(ClientDatabase db, CommitTree tree, String path, List<String> migrations) {
        return Optional.empty();
    }

    /**
     * The commit's migration folders in name order (as Prisma orders them), each with its
     * {@code migration.sql}; {@code migration_lock.toml}, when present, must name postgresql.
     */
    static List<Script> read(CommitTree tree, String path) {
        Optional<CommitTree.File> lock = tree.file(path + "/" + LOCK_FILE, MigrationSource.MAX_FILE_BYTES);
        if (lock.isPresent()) {
            Matcher m = PROVIDER.matcher(lock.get().text());
            String provider = m.find() ? m.group(1) : null;
            if (!"postgresql".equals(provider)) {
                throw new StepFailure("BAD_MIGRATIONS", path + "/" + LOCK_FILE + " names provider "
                        + (provider == null ? "none" : "\"" + provider + "\"") + ": these migrations were written for another database"
                        + " than postgresql, so they are not applied (Prisma refuses a provider that differs from the lock file too)", false);
            }
        }
        List<Script> scripts = new ArrayList<>();
        for (String name : tree.directories(path)) {
            if (name.length() > MAX_NAME) {
                throw new StepFailure("BAD_MIGRATIONS", "migration folder name longer than " + MAX_NAME + " characters: " + name.substring(0, 40) + "…", false);
            }
            CommitTree.File file = tree.file(path + "/" + name + "/" + SCRIPT, MigrationSource.MAX_FILE_BYTES)
                    .orElseThrow(() -> new StepFailure("BAD_MIGRATIONS", path + "/" + name + " has no " + SCRIPT
                            + ": every Prisma migration folder holds one", false));
            scripts.add(new Script(name, file.content()));
        }
        return scripts;
    }

    /**
     * Refuses what must not be built on: a migration that started and never finished (Prisma's P3009),
     * and an applied migration whose script in the commit is not the one that was applied.
     */
    static void check(List<Row> rows, List<Script> scripts) {
        for (Row row : rows) {
            if (row.failed()) {
                throw new StepFailure("FAILED_MIGRATION_IN_DATABASE", "found failed migrations in the target database, new migrations will not"
                        + " be applied (as Prisma's P3009): the `" + row.name() + "` migration started at " + row.startedAt()
                        + " failed. Resolve it first (fix the database, then mark it applied or rolled back with"
                        + " `prisma migrate resolve`, see https://pris.ly/d/migrate-resolve)", false);
            }
        }
        for (Script script : scripts) {
            for (Row row : rows) {
                if (row.applied() && row.name().equals(script.name()) && !matches(script.text(), row.checksum())) {
                    throw new StepFailure("MIGRATION_MODIFIED", "migration " + script.name() + " was modified after apply: its "
                            + SCRIPT + " in this commit has checksum " + checksum(script.bytes()) + ", " + TABLE + " recorded "
                            + row.checksum() + ". Nothing applied: restore the applied script and add a new migration for the change", false);
                }
            }
        }
    }

    /** The lowercase SHA-256 hex of the script's bytes, as Prisma records it. */
    static String checksum(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** As Prisma compares: the script as is, or with its line endings made LF or CRLF (git may convert them). */
    static boolean matches(String script, String recorded) {
        String lf = script.replace("\r\n", "\n");
        for (String variant : List.of(script, lf, lf.replace("\n", "\r\n"))) {
            if (checksum(variant.getBytes(StandardCharsets.UTF_8)).equalsIgnoreCase(recorded)) {
                return true;
            }
        }
        return false;
    }

    /** The table's rows, oldest first; none when the table does not exist yet. */
    static List<Row> history(ClientDatabase db) {
        try (Connection c = db.connect(db.database())) {
            if (!exists(c)) {
                return List.of();
            }
            List<Row> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT migration_name, checksum, started_at, finished_at,"
                    + " rolled_back_at FROM \"_prisma_migrations\" ORDER BY started_at, migration_name")) {
                while (r.next()) {
                    rows.add(row(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", "cannot read " + TABLE + " of " + db.describe() + ": " + SchemaHistory.rootMessage(e), true, e);
        }
    }

    private static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT to_regclass('\"_prisma_migrations\"') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /**
     * Applies one script in one transaction with its row: started, the script, then finished with one
     * applied step, all under Prisma's advisory lock. If the script fails, nothing of it stays, its row
     * neither (Prisma itself, which runs scripts without a wrapping transaction, would leave a failed row).
     */
    static void apply(ClientDatabase db, Script script) throws SQLException {
        try (Connection c = db.connect(db.database())) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
                    s.execute(CREATE_TABLE);
                }
                // Checked again under the lock: another deployer may have applied or broken it meanwhile.
                List<Row> rows = rows(c, script.name());
                check(rows, List.of(script));
                if (rows.stream().anyMatch(Row::applied)) {
                    c.rollback();
                    return;
                }
                String id = UUID.randomUUID().toString();
                try (PreparedStatement started = c.prepareStatement(
                        "INSERT INTO \"_prisma_migrations\" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, clock_timestamp())")) {
                    started.setString(1, id);
                    started.setString(2, checksum(script.bytes()));
                    started.setString(3, script.name());
                    started.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.execute(script.text());
                }
                try (PreparedStatement finished = c.prepareStatement("UPDATE \"_prisma_migrations\" SET finished_at = clock_timestamp(),"
                        + " applied_steps_count = applied_steps_count + 1 WHERE id = ?")) {
                    finished.setString(1, id);
                    finished.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static List<Row> rows(Connection c, String name) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT migration_name, checksum, started_at, finished_at, rolled_back_at"
                + " FROM \"_prisma_migrations\" WHERE migration_name = ? OR (finished_at IS NULL AND rolled_back_at IS NULL)")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(row(r));
                }
            }
        }
        return rows;
    }

    private static Row row(ResultSet r) throws SQLException {
        return new Row(r.getString(1), r.getString(2), r.getObject(3, OffsetDateTime.class), r.getObject(4, OffsetDateTime.class),
                r.getObject(5, OffsetDateTime.class));
    }

    /** The newest applied migration's name: the schema version reported in MigrationApplied. */
    static String newestApplied(ClientDatabase db) {
        return history(db).stream().filter(Row::applied).map(Row::name).max(String::compareTo).orElse(null);
    }
}
