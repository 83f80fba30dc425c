package dev.runway.executor.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import dev.runway.events.*;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.store.DeploymentFacts;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.os.Exec;
import dev.runway.executor.repository.Checkouts;

/**
 * The database steps of SOP 000 §8: a verified pg_dump before migrations (with retention),
 * migrations applied in order through Flyway (each in its own transaction, recorded in
 * flyway_schema_history), and their compensation (DOWN sections, else the deployment's backup).
 */
@ApplicationScoped
public class DatabaseSteps {

    static final String HISTORY_TABLE = "flyway_schema_history";
    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern MAJOR = Pattern.compile("(\\d+)(\\.\\d+)?");

    private final ExecutorConfig config;
    private final DeploymentFacts facts;
    private final DatabaseCredentials credentials;
    private final Checkouts checkouts;

    public DatabaseSteps(ExecutorConfig config, DeploymentFacts facts, DatabaseCredentials credentials, Checkouts checkouts) {
        this.config = config;
        this.facts = facts;
        this.credentials = credentials;
        this.checkouts = checkouts;
    }

    // ------------------------------------------------------------------ backup

    public Plan backup(CommandContext ctx, BackupDatabase command) {
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        Path dir = backupDir(ctx.environment());
        String backupId = "backup_" + STAMP.format(ctx.header().getOccurredAt()) + "_" + db.database() + "_"
                + ctx.deploymentId().substring(0, Math.min(8, ctx.deploymentId().length()));
        Path file = dir.resolve(backupId + ".dump");
        String pgDump = bin("pg_dump");
        String pgRestore = bin("pg_restore");
        AtomicLong size = new AtomicLong();
        AtomicReference<Boolean> verified = new AtomicReference<>(false);
        int retention = config.database().retentionDays();
        return new Plan()
                .step("check that " + pgDump + " can dump the server of " + db.describe() + " (client major >= server major)",
                        () -> checkVersion(db, pgDump))
                .step(pgDump + " --format=custom --compress=9 --file=" + file + " " + db.describe(), () -> {
                    Files.createDirectories(dir);
                    List<String> cmd = new ArrayList<>(List.of(pgDump, "--format=custom", "--compress=9", "--file=" + file));
                    cmd.addAll(db.pgArgs(db.database()));
                    Exec.run("BACKUP_FAILED", cmd, db.pgEnv(), DUMP_TIMEOUT);
                    size.set(Files.size(file));
                })
                .step(pgRestore + " --list " + file + " (verification, SOP 000 §8.3)", () -> {
                    String toc = Exec.run("BACKUP_UNVERIFIED", List.of(pgRestore, "--list", file.toString()), db.pgEnv(), Duration.ofMinutes(5));
                    if (!toc.contains("Archive created at")) {
                        throw new StepFailure("BACKUP_UNVERIFIED", "pg_restore --list did not read " + file, true);
                    }
                    verified.set(true);
                    facts.put(ctx.deploymentId(), DeploymentFacts.BACKUP_ID, backupId);
                })
                .step("delete backup_*.dump in " + dir + " older than " + retention + " days", () -> prune(dir, retention))
                .reply(() -> DatabaseBackedUp.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                        .setBackupId(backupId).setLocation(file.toString()).setSizeBytes(size.get()).setVerified(verified.get())
                        .build());
    }

    private void checkVersion(ClientDatabase db, String pgDump) throws SQLException {
        String out = Exec.run("BACKUP_FAILED", List.of(pgDump, "--version"), db.pgEnv(), Duration.ofSeconds(30));
        Matcher m = MAJOR.matcher(out.replaceAll("^[^0-9]*", ""));
        int client = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int server;
        try (Connection c = db.connect(db.database()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW server_version_num")) {
            r.next();
            server = Integer.parseInt(r.getString(1)) / 10000;
        }
        if (client < server) {
            throw new StepFailure("PG_DUMP_TOO_OLD", pgDump + " is version " + client + " but the server is " + server
                    + ": install postgresql-client-" + server + " and point runway.executor.database.bin-dir at it", false);
        }
    }

    static void prune(Path dir, int retentionDays) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofDays(retentionDays)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("backup_.*\\.dump")).toList()) {
                if (Files.getLastModifiedTime(f).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    // ------------------------------------------------------------------ migrations

    public Plan migrate(CommandContext ctx, ApplyMigrations command) {
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        Path dir = migrationsDir(ctx, command);
        List<MigrationFile> files;
        try {
            files = MigrationFile.scan(dir);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("BAD_MIGRATIONS", e.getMessage(), false);
        }
        List<MigrationFile> pending = pending(db, files);
        List<String> applied = new ArrayList<>();
        Plan plan = new Plan();
        for (MigrationFile file : pending) {
            plan.step("apply " + file.fileName() + " to " + db.describe() + " in one transaction, recorded in " + HISTORY_TABLE, () -> {
                try {
                    flyway(db, files).target(MigrationVersion.fromVersion(file.version())).load().migrate();
                } catch (RuntimeException e) {
                    throw new StepFailure("MIGRATION_FAILED", file.fileName() + " failed and was rolled back in its transaction"
                            + (applied.isEmpty() ? "" : " (applied before it by this command: " + applied + ")") + ": " + rootMessage(e), false, e);
                }
                applied.add(file.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_DIR, dir.toString());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_REPOSITORY, command.getRepository().getUrl());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_COMMIT, command.getRepository().getCommit());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_APPLIED, String.join(",", applied));
            });
        }
        if (pending.isEmpty()) {
            plan.step("nothing to apply: " + db.describe() + " already has all " + files.size() + " migration(s) of " + dir, () -> {
            });
        }
        String target = files.isEmpty() ? null : files.get(files.size() - 1).version();
        return plan.reply(() -> MigrationApplied.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setApplied(ctx.dryRun() ? pending.stream().map(MigrationFile::name).toList() : List.copyOf(applied))
                .setSchemaVersion(ctx.dryRun() ? target : currentVersion(db, files)).build());
    }

    /** The migrations directory in the per-deployment checkout of the command's repository at its commit. */
    private Path migrationsDir(CommandContext ctx, ApplyMigrations command) {
        RepositoryRef repository = command.getRepository();
        if (repository == null) {
            throw new StepFailure("NO_REPOSITORY", "ApplyMigrations names no repository: migrations are read from a checkout of the"
                    + " deployment's commit, never from a shared directory", false);
        }
        Path root = checkouts.dir(ctx.projectEnv(), ctx.deploymentId());
        Path dir = root.resolve(command.getMigrationsPath()).normalize();
        if (!dir.startsWith(root)) {
            throw new StepFailure("BAD_MIGRATIONS", "migrations path " + command.getMigrationsPath() + " leaves the checkout", false);
        }
        // Planning reads the files, so the checkout is made now (a dry run too: it only reads the repository).
        checkouts.ensure(ctx.projectEnv(), ctx.deploymentId(), repository);
        return dir;
    }

    private List<MigrationFile> pending(ClientDatabase db, List<MigrationFile> files) {
        try {
            MigrationInfo[] pending = flyway(db, files).load().info().pending();
            List<String> versions = Arrays.stream(pending).map(i -> i.getVersion().getVersion()).toList();
            return files.stream().filter(f -> versions.contains(f.version())).toList();
        } catch (RuntimeException e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", "cannot read the schema history of " + db.describe() + ": " + rootMessage(e), true, e);
        }
    }

    private String currentVersion(ClientDatabase db, List<MigrationFile> files) {
        MigrationInfo current = flyway(db, files).load().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(ClientDatabase db, List<MigrationFile> files) {
        return Flyway.configure(DatabaseSteps.class.getClassLoader())
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .table(HISTORY_TABLE)
                // A database Runway has not migrated before (tables, no history): every file is pending.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .skipDefaultResolvers(true)
                .locations("filesystem:" + Path.of(System.getProperty("java.io.tmpdir"), "runway-no-sql-migrations"))
                .javaMigrations(files.stream().map(SqlFileMigration::new).toArray(JavaMigration[]::new));
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

    // ------------------------------------------------------------------ compensation

    public Plan restore(CommandContext ctx, RestoreDatabase command) {
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        List<String> migrations = !command.getMigrations().isEmpty() ? command.getMigrations()
                : facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_APPLIED).filter(s -> !s.isBlank())
                        .map(s -> List.of(s.split(","))).orElse(List.of());
        Optional<Path> dir = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_DIR).map(Path::of);
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            // The checkout went with the slots it served (RemoveGreen ran first): made again from the same commit.
            Optional<String> url = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_REPOSITORY);
            Optional<String> commit = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_COMMIT);
            if (url.isPresent() && commit.isPresent()) {
                checkouts.ensure(ctx.projectEnv(), ctx.deploymentId(), new RepositoryRef(url.get(), commit.get(), null));
            }
        }
        List<MigrationFile> downs = new ArrayList<>();
        boolean allHaveDown = dir.isPresent() && !migrations.isEmpty();
        if (allHaveDown) {
            for (String name : migrations) {
                Path file = dir.get().resolve(name.endsWith(".sql") ? name : name + ".sql");
                MigrationFile m = Files.exists(file) ? MigrationFile.read(file) : null;
                if (m == null || m.down().isEmpty()) {
                    allHaveDown = false;
                    break;
                }
                downs.add(m);
            }
        }
        Plan plan = new Plan();
        if (command.getPreferDownMigrations() && allHaveDown) {
            List<MigrationFile> newestFirst = new ArrayList<>(downs);
            java.util.Collections.reverse(newestFirst);
            for (MigrationFile m : newestFirst) {
                plan.step("run the DOWN section of " + m.fileName() + " on " + db.describe() + " and remove version " + m.version()
                        + " from " + HISTORY_TABLE + ", in one transaction", () -> runDown(db, m));
            }
            return plan.reply(() -> DatabaseRestored.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                    .setMethod("DOWN_MIGRATIONS").setBackupId(null).build());
        }
        String backupId = Optional.ofNullable(command.getBackupId())
                .or(() -> facts.get(ctx.deploymentId(), DeploymentFacts.BACKUP_ID))
                .orElseThrow(() -> new StepFailure("NO_BACKUP", "migrations " + migrations + " have no DOWN section and the deployment has no backup to restore", false));
        if (!backupId.matches("backup_[A-Za-z0-9_]+")) {
            throw new StepFailure("NO_BACKUP", "not a backup id: " + backupId, false);
        }
        Path file = backupDir(ctx.environment()).resolve(backupId + ".dump");
        String scratch = truncate(db.database() + "__restore_" + STAMP.format(ctx.header().getOccurredAt()));
        String before = truncate(db.database() + "__before_" + STAMP.format(ctx.header().getOccurredAt()));
        String pgRestore = bin("pg_restore");
        plan.step("create database " + scratch + " and " + pgRestore + " --single-transaction --no-owner " + file + " into it", () -> {
            if (!Files.exists(file)) {
                throw new StepFailure("NO_BACKUP", "backup file " + file + " is missing", false);
            }
            try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + quote(scratch));
                s.execute("CREATE DATABASE " + quote(scratch));
            }
            List<String> cmd = new ArrayList<>(List.of(pgRestore, "--single-transaction", "--no-owner", "--exit-on-error"));
            cmd.addAll(db.pgArgs(scratch));
            cmd.add(file.toString());
            Exec.run("RESTORE_FAILED", cmd, db.pgEnv(), DUMP_TIMEOUT);
        });
        plan.step("swap: disconnect clients, rename " + db.database() + " to " + before + " (kept) and " + scratch + " to " + db.database(),
                () -> swap(db, scratch, before));
        if (!migrations.isEmpty()) {
            plan.step("(migrations " + migrations + " are undone by the restore; their DOWN sections were "
                    + (command.getPreferDownMigrations() ? "incomplete" : "not preferred") + ")", () -> {
                    });
        }
        return plan.reply(() -> DatabaseRestored.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setMethod("BACKUP_RESTORE").setBackupId(backupId).build());
    }

    private static void runDown(ClientDatabase db, MigrationFile m) throws SQLException {
        try (Connection c = db.connect(db.database())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    PreparedStatement h = c.prepareStatement("DELETE FROM " + HISTORY_TABLE + " WHERE version = ?")) {
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

    private static void swap(ClientDatabase db, String scratch, String before) throws SQLException {
        try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + quote(db.database()) + " ALLOW_CONNECTIONS false");
            try (PreparedStatement t = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                t.setString(1, db.database());
                t.execute();
            }
            s.execute("ALTER DATABASE " + quote(db.database()) + " RENAME TO " + quote(before));
            s.execute("ALTER DATABASE " + quote(scratch) + " RENAME TO " + quote(db.database()));
            s.execute("ALTER DATABASE " + quote(before) + " ALLOW_CONNECTIONS true");
        }
    }

    // ------------------------------------------------------------------ helpers

    private Path backupDir(Environment environment) {
        // Per environment as before; file names carry the project's database name.
        return Path.of(config.database().backupDir()).toAbsolutePath().normalize().resolve(environment.name().toLowerCase());
    }

    private String bin(String tool) {
        return Path.of(config.database().binDir(), tool).toString();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String truncate(String name) {
        return name.length() <= 63 ? name : name.substring(name.length() - 63);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }
}
